using AccountTransfers.Ledger;
using Microsoft.Extensions.DependencyInjection;
using RedlockAspects;
using StackExchange.Redis;

namespace AccountTransfers.Banking;

// One branch of the bank: its own service container, lock engine and ledger connection, as a separate process
// would have, and a few tellers making random transfers at the same time.
public sealed class Branch : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public Branch(string name, Action<RedlockOptions> configureLocks, IConnectionMultiplexer ledgerConnection, bool withoutLock)
    {
        var services = new ServiceCollection();
        services.AddRedlock(o =>
        {
            configureLocks(o);

            // Accounts are hot keys shared with other branches: poll often and keep trying for a while rather than
            // give up after the default ten tries.
            o.RetryCount = -1;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.RetryJitter = TimeSpan.FromMilliseconds(10);
            o.MaxWait = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton(new RedisLedger(ledgerConnection));
        services.AddSingleton<Teller>();
        if (withoutLock)
        {
            services.AddSingleton<ITransfers, UnlockedTransfers>();
        }
        else
        {
            services.AddSingleton<ITransfers, LockedTransfers>();
        }

        _services = services.BuildServiceProvider();
        Tally = new BranchTally(name);
    }

    public BranchTally Tally { get; }

    public async Task RunAsync(IReadOnlyList<string> accounts, int tellers, int transfersEach, int seed, CancellationToken ct)
    {
        var transfers = _services.GetRequiredService<ITransfers>();
        await Task.WhenAll(Enumerable.Range(0, tellers).Select(t => TellerAsync(transfers, accounts, transfersEach, new Random(seed + t), ct)));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private async Task TellerAsync(ITransfers transfers, IReadOnlyList<string> accounts, int count, Random random, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var fromIndex = random.Next(accounts.Count);
            var from = accounts[fromIndex];
            var to = accounts[(fromIndex + 1 + random.Next(accounts.Count - 1)) % accounts.Count];
            var cents = random.Next(1, 200) * 100L;
            var bothLocks = i % 2 == 1;
            try
            {
                var outcome = bothLocks
                    ? await transfers.UnderBothLocksAsync(from, to, cents, ct)
                    : await transfers.InTwoStepsAsync(from, to, cents, ct);
                Tally.Count(outcome, bothLocks);
            }
            catch (RedlockBusyException)
            {
                // Nothing moved: only the withdrawal (or the two-account lock) gives up; see LockedTransfers.
                Tally.CountBusy();
            }
        }
    }
}
