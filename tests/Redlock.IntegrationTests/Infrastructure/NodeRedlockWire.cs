namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>What the node <c>redlock</c> package sends, for tests that play that client by hand.</summary>
public static class NodeRedlockWire
{
    /// <summary>node <c>redlock</c>'s release: compare-and-delete of every key holding the token (ARGV[1]), and no message.</summary>
    public const string Release = """
        local count = 0
        for i, key in ipairs(KEYS) do
          if redis.call("get", key) == ARGV[1] then
            redis.call("del", key)
            count = count + 1
          end
        end
        return count
        """;
}
