namespace RedlockAspects.Testing.Tests;

/// <summary>
/// A test of a fixture that only redis-server can provide (a cluster, a password, TLS): skipped where it is not
/// installed, but run anyway (and so failing) when <c>REDLOCK_REQUIRE_REDIS=1</c>, as in CI.
/// </summary>
public sealed class RedisServerFactAttribute : FactAttribute
{
    public RedisServerFactAttribute()
    {
        if (!AvailableBackends.RedisRequired && !RedisTestNodes.IsRedisServerAvailable())
        {
            Skip = "redis-server is not installed (set REDIS_SERVER_PATH, or REDLOCK_REQUIRE_REDIS=1 to make this an error).";
        }
    }
}
