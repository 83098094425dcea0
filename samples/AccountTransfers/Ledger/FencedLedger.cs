using StackExchange.Redis;

namespace AccountTransfers.Ledger;

// The store's half of fencing: a balance write carries the writer's fencing token, and a Lua compare in Redis refuses a
// token lower than the highest one seen for that account. Only the store can stop a holder that paused past its lease.
public sealed class FencedLedger(IConnectionMultiplexer connection)
{
    // KEYS[1] balance, KEYS[2] highest token seen; ARGV[1] new balance, ARGV[2] token. Returns 1 written, 0 refused.
    private const string WriteIfFresh = """
        local seen = tonumber(redis.call('get', KEYS[2]) or '0')
        local token = tonumber(ARGV[2])
        if token < seen then
          return 0
        end
        redis.call('set', KEYS[2], ARGV[2])
        redis.call('set', KEYS[1], ARGV[1])
        return 1
        """;

    private IDatabase Db => connection.GetDatabase();

    public static string FenceKey(string accountId) => "fence:" + accountId;

    public async Task<long> BalanceAsync(string accountId) => (long)await Db.StringGetAsync(RedisLedger.Key(accountId));

    // With no token (an unfenced lease), the write lands whatever happened in between, as in most stores.
    public async Task<bool> WriteAsync(string accountId, long balance, long? token)
    {
        if (token is not { } fence)
        {
            await Db.StringSetAsync(RedisLedger.Key(accountId), balance);
            return true;
        }

        var written = await Db.ScriptEvaluateAsync(WriteIfFresh, [RedisLedger.Key(accountId), FenceKey(accountId)], [balance, fence]);
        return (long)written == 1;
    }
}
