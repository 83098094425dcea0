using System.Globalization;
using StackExchange.Redis;

namespace AccountTransfers.Ledger;

// Account balances in a Redis database that every branch shares, in cents. Reads and writes are separate commands
// on purpose: read-modify-write across processes is exactly the code that needs a distributed lock.
public sealed class RedisLedger(IConnectionMultiplexer connection)
{
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(1);

    private IDatabase Db => connection.GetDatabase();

    public static string Key(string accountId) => "balance:" + accountId;

    public async Task OpenAsync(IEnumerable<string> accountIds, long cents)
    {
        foreach (var id in accountIds)
        {
            await Db.StringSetAsync(Key(id), cents);
        }
    }

    public async Task<long> BalanceAsync(string accountId) => (long)await Db.StringGetAsync(Key(accountId));

    // Reads, thinks for a moment (checks, fees, an audit write in a real system), then writes back.
    public async Task<long> AddAsync(string accountId, long cents, CancellationToken ct)
    {
        var balance = await BalanceAsync(accountId);
        await Task.Delay(ThinkTime, ct);
        var updated = balance + cents;
        await Db.StringSetAsync(Key(accountId), updated);
        return updated;
    }

    public async Task<long> TotalAsync(IEnumerable<string> accountIds)
    {
        long total = 0;
        foreach (var id in accountIds)
        {
            total += await BalanceAsync(id);
        }

        return total;
    }

    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
