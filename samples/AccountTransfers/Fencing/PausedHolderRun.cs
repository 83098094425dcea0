using AccountTransfers.Ledger;
using RedlockAspects;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace AccountTransfers.Fencing;

// Kleppmann's scenario ("How to do distributed locking", 2016): holder 1 takes the lock and reads, then stalls past its
// TTL; holder 2 takes the lock, reads, writes; holder 1 wakes and writes what it computed before the stall. With fencing
// the ledger refuses holder 1's stale write and the total is what the accepted deposits make it; without, holder 2's
// deposit is silently overwritten.
public static class PausedHolderRun
{
    public static async Task<int> RunAsync(bool fencing, IReadOnlyList<string>? lockNodes, string? ledgerNode, TextWriter output, CancellationToken ct)
    {
        await using var embedded = lockNodes is { Count: > 0 } ? null : await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3, cancellationToken: ct);
        await using var ledgerServer = ledgerNode is null ? await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, cancellationToken: ct) : null;
        var nodes = embedded?.ConnectionStrings ?? lockNodes!;
        await using var ledgerConnection = await ConnectionMultiplexer.ConnectAsync(ledgerNode ?? ledgerServer!.ConnectionStrings[0]);
        var ledger = new FencedLedger(ledgerConnection);
        const string account = "acct-01";
        const long opening = 100_000;
        await ledgerConnection.GetDatabase().StringSetAsync(RedisLedger.Key(account), opening);
        await ledgerConnection.GetDatabase().KeyDeleteAsync(FencedLedger.FenceKey(account));

        // Two processes: each holder has its own engine.
        await using var engine1 = Engine(nodes);
        await using var engine2 = Engine(nodes);
        var desk1 = new DepositDesk(engine1, ledger);
        var desk2 = new DepositDesk(engine2, ledger);
        var stall = TimeSpan.FromMilliseconds(DepositDesk.TtlMs * 3);

        output.WriteLine($"ledger    {account} opens at {RedisLedger.Format(opening)}; locks on 3 nodes, TTL {DepositDesk.TtlMs} ms, no auto-extension");
        output.WriteLine($"fencing   {(fencing ? "on: each write carries the lease's token; the ledger refuses a lower one" : "off (--no-fencing): writes carry no token")}");
        output.WriteLine();

        var holder1Read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder2Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task PauseHolder1()
        {
            output.WriteLine($"holder 1  read the balance, then stalls for {stall.TotalMilliseconds:0} ms (a GC pause), past its lease");
            holder1Read.TrySetResult();
            await Task.Delay(stall, CancellationToken.None);
            await holder2Done.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            output.WriteLine("holder 1  wakes up and writes what it computed before the stall");
        }

        var first = fencing
            ? desk1.FencedDepositAsync(account, 10_000, PauseHolder1, ct)
            : desk1.UnfencedDepositAsync(account, 10_000, PauseHolder1, ct);
        await holder1Read.Task.WaitAsync(ct);

        // Holder 2 waits for the lock, which frees itself when holder 1's TTL runs out.
        var second = await (fencing
            ? desk2.FencedDepositAsync(account, 5_000, () => Task.CompletedTask, ct)
            : desk2.UnfencedDepositAsync(account, 5_000, () => Task.CompletedTask, ct));
        output.WriteLine($"holder 2  took the lock{TokenText(second.Token)}, deposited 50.00: {RedisLedger.Format(second.ReadBalance)} -> {RedisLedger.Format(second.WrittenBalance)} ({(second.Written ? "written" : "refused")})");
        holder2Done.TrySetResult();

        var stale = await first;

        output.WriteLine($"holder 1  stale write{TokenText(stale.Token)} of 100.00: {RedisLedger.Format(stale.ReadBalance)} -> {RedisLedger.Format(stale.WrittenBalance)}: {(stale.Written ? "LANDED" : "refused by the ledger")}");

        var accepted = (second.Written ? 5_000 : 0) + (stale.Written ? 10_000 : 0);
        var expected = opening + accepted;
        var actual = await ledger.BalanceAsync(account);
        output.WriteLine();
        var conserved = actual == expected;
        output.WriteLine(conserved
            ? $"balance {RedisLedger.Format(actual)} = opening {RedisLedger.Format(opening)} + accepted deposits {RedisLedger.Format(accepted)}: conserved"
            : $"balance {RedisLedger.Format(actual)}, but opening {RedisLedger.Format(opening)} + accepted deposits {RedisLedger.Format(accepted)} = {RedisLedger.Format(expected)}: NOT conserved (holder 2's deposit was overwritten)");
        return conserved ? BankRun.Conserved : BankRun.NotConserved;
    }

    private static string TokenText(long? token) => token is { } t ? $" (token {t})" : string.Empty;

    private static RedlockEngine Engine(IReadOnlyList<string> nodes)
    {
        var options = new RedlockOptions { RetryCount = -1, MaxWait = TimeSpan.FromSeconds(30), RetryDelay = TimeSpan.FromMilliseconds(50), RetryJitter = TimeSpan.FromMilliseconds(25) };
        foreach (var node in nodes)
        {
            options.Nodes.Add(node);
        }

        return new RedlockEngine(options);
    }
}
