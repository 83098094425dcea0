using AccountTransfers.Banking;
using AccountTransfers.Configuration;
using AccountTransfers.Ledger;
using RedlockAspects;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace AccountTransfers;

// Opens the accounts, lets every branch's tellers transfer at once, and checks the total at the end.
public static class BankRun
{
    public const int Conserved = 0;
    public const int NotConserved = 1;
    public const int BadOptions = 2;

    public static async Task<int> RunAsync(TransferSettings settings, TextWriter output, CancellationToken ct)
    {
        foreach (var problem in settings.Problems())
        {
            output.WriteLine(problem);
        }

        if (settings.Problems().Count > 0)
        {
            return BadOptions;
        }

        if (settings.PauseHolder)
        {
            var givenNodes = settings.Nodes?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return await Fencing.PausedHolderRun.RunAsync(!settings.NoFencing, givenNodes, settings.Ledger, output, ct);
        }

        // Three lock nodes and, separately, the database the balances live in.
        var given = settings.Nodes?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        await using var lockNodes = given.Length == 0 ? await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3, cancellationToken: ct) : null;
        await using var ledgerNode = settings.Ledger is null ? await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, cancellationToken: ct) : null;
        var nodes = lockNodes?.ConnectionStrings ?? given;
        await using var ledgerConnection = await ConnectionMultiplexer.ConnectAsync(settings.Ledger ?? ledgerNode!.ConnectionStrings[0]);

        var accounts = Enumerable.Range(1, settings.Accounts).Select(i => $"acct-{i:00}").ToArray();
        var ledger = new RedisLedger(ledgerConnection);
        await ledger.OpenAsync(accounts, settings.OpeningCents);
        var before = await ledger.TotalAsync(accounts);

        output.WriteLine($"accounts  {accounts.Length} x {RedisLedger.Format(settings.OpeningCents)} in a shared Redis ledger (read, then write: needs a lock)");
        if (settings.WithoutLock)
        {
            output.WriteLine("locks     none (--without-lock): the same reads and writes, unprotected");
        }
        else
        {
            output.WriteLine($"locks     {nodes.Count} {(lockNodes is null ? "given" : "embedded Garnet")} nodes");
            output.WriteLine("          two-step: [DistributedLock(\"key:<accountId>\", TtlMs=1000)] withdraw, then deposit");
            output.WriteLine("          both-locks: AcquireAsync([\"key:<from>\", \"key:<to>\"]) in ordinal order, both legs under it");
        }

        output.WriteLine($"load      {settings.Branches} branches x {settings.Tellers} tellers x {settings.Transfers} transfers, all at once");
        output.WriteLine();

        var branches = Enumerable.Range(0, settings.Branches)
            .Select(b => new Branch(((char)('A' + b)).ToString(), o => { foreach (var n in nodes) { o.Nodes.Add(n); } }, ledgerConnection, settings.WithoutLock))
            .ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(branches.Select((b, i) => b.RunAsync(accounts, settings.Tellers, settings.Transfers, settings.Seed + 1000 * i, ct)));
        }
        finally
        {
            foreach (var branch in branches)
            {
                await branch.DisposeAsync();
            }
        }

        watch.Stop();
        output.WriteLine("branch  two-step  both-locks  declined  gave-up");
        foreach (var tally in branches.Select(b => b.Tally))
        {
            output.WriteLine($"{tally.Name,-8}{tally.TwoStep,8}{tally.BothLocks,12}{tally.Declined,10}{tally.Busy,9}");
        }

        var after = await ledger.TotalAsync(accounts);
        var negative = 0;
        foreach (var account in accounts)
        {
            negative += await ledger.BalanceAsync(account) < 0 ? 1 : 0;
        }

        var done = branches.Sum(b => b.Tally.TwoStep + b.Tally.BothLocks);
        output.WriteLine();
        output.WriteLine($"{done} transfers in {watch.Elapsed.TotalSeconds:0.0} s; {negative} accounts below zero");
        var conserved = before == after && negative == 0;
        output.WriteLine(conserved
            ? $"total before {RedisLedger.Format(before)}, after {RedisLedger.Format(after)}: conserved"
            : $"total before {RedisLedger.Format(before)}, after {RedisLedger.Format(after)}: NOT conserved ({RedisLedger.Format(after - before)})");
        return conserved ? Conserved : NotConserved;
    }
}
