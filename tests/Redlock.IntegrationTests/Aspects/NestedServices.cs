namespace RedlockAspects.IntegrationTests.Aspects;

/// <summary>The example: a locked transfer that calls a locked debit on the same account key.</summary>
public sealed partial class Accounts(IRedlock redlock)
{
    public RedlockLease? OuterLease { get; private set; }

    public RedlockLease? InnerLease { get; private set; }

    public int InnerHoldCount { get; private set; }

    public int OuterHoldCountAfterInner { get; private set; }

    public Task? Background { get; private set; }

    // No background extension here, so the only commands on the nodes are the acquisitions and releases (counted).
    [DistributedLock("acct:{from}", TtlMs = 30000, AutoExtend = false)]
    public partial Task TransferAsync(string from, string to, int amount);

    private async Task TransferAsyncCore(string from, string to, int amount, RedlockLease lease)
    {
        OuterLease = lease;
        await DebitAsync(from, amount);
        OuterHoldCountAfterInner = lease.HoldCount;
    }

    [DistributedLock("acct:{id}", TtlMs = 30000, AutoExtend = false)]
    public partial Task DebitAsync(string id, int amount);

    private Task DebitAsyncCore(string id, int amount, RedlockLease lease)
    {
        InnerLease = lease;
        InnerHoldCount = lease.HoldCount;
        return Task.CompletedTask;
    }

    /// <summary>The example with the default settings (auto-extension on).</summary>
    [DistributedLock("acct:{from}", TtlMs = 1000)]
    public partial Task TransferDefaultAsync(string from, string to, int amount);

    private async Task TransferDefaultAsyncCore(string from, string to, int amount, RedlockLease lease)
    {
        OuterLease = lease;
        await DebitDefaultAsync(from, amount);
        await DebitDefaultAsync(to, amount);
    }

    [DistributedLock("acct:{id}", TtlMs = 1000)]
    public partial Task DebitDefaultAsync(string id, int amount);

    private Task DebitDefaultAsyncCore(string id, int amount, RedlockLease lease)
    {
        if (id == OuterLease?.Resource.Split(':')[1])
        {
            InnerLease = lease;
            InnerHoldCount = lease.HoldCount;
        }

        return Task.CompletedTask;
    }

    /// <summary>Reentrancy off for the nested call: the old wait, and an error that names the real owner.</summary>
    [DistributedLock("acct:{from}", TtlMs = 1000)]
    public partial Task TransferStrictAsync(string from, string to, int amount);

    private async Task TransferStrictAsyncCore(string from, string to, int amount)
    {
#pragma warning disable RLK0017 // The point of this method: the nested call waits for its own caller.
        await DebitStrictAsync(from, amount);
#pragma warning restore RLK0017
    }

    [DistributedLock("acct:{id}", TtlMs = 1000, WaitMs = 1000, Reentrant = false)]
    public partial Task DebitStrictAsync(string id, int amount);

    private Task DebitStrictAsyncCore(string id, int amount) => Task.CompletedTask;

    /// <summary>Starts work that outlives the body; it tries the same account once <paramref name="go"/> completes.</summary>
    [DistributedLock("acct:{id}", TtlMs = 1000)]
    public partial Task StartBackgroundDebitAsync(string id, Task go);

    private Task StartBackgroundDebitAsyncCore(string id, Task go, RedlockLease lease)
    {
        OuterLease = lease;
        Background = Task.Run(async () =>
        {
            await go;
            await DebitOnceAsync(id);
        });
        return Task.CompletedTask;
    }

    [DistributedLock("acct:{id}", TtlMs = 1000, WaitMs = 0)]
    public partial Task DebitOnceAsync(string id);

    private Task DebitOnceAsyncCore(string id, RedlockLease lease)
    {
        InnerLease = lease;
        return Task.CompletedTask;
    }
}
