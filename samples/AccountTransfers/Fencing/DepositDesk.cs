using AccountTransfers.Ledger;
using RedlockAspects;

namespace AccountTransfers.Fencing;

// The card's single-account lock, with and without a fencing token. Auto-extension is off: a paused process (a long GC,
// a frozen VM) cannot extend its lease either, which is the case fencing exists for.
public sealed partial class DepositDesk(IRedlock redlock, FencedLedger ledger)
{
    public const int TtlMs = 500;

    [DistributedLock("key:<accountId>", TtlMs = TtlMs, AutoExtend = false, Fencing = true)]
    public partial Task<DepositResult> FencedDepositAsync(string accountId, long cents, Func<Task> pauseAfterRead, CancellationToken ct = default);

    [DistributedLock("key:<accountId>", TtlMs = TtlMs, AutoExtend = false)]
    public partial Task<DepositResult> UnfencedDepositAsync(string accountId, long cents, Func<Task> pauseAfterRead, CancellationToken ct = default);

    private Task<DepositResult> FencedDepositAsyncCore(string accountId, long cents, Func<Task> pauseAfterRead, CancellationToken ct, RedlockLease lease) =>
        DepositAsync(accountId, cents, pauseAfterRead, lease);

    private Task<DepositResult> UnfencedDepositAsyncCore(string accountId, long cents, Func<Task> pauseAfterRead, CancellationToken ct, RedlockLease lease) =>
        DepositAsync(accountId, cents, pauseAfterRead, lease);

    // Read, (maybe) stall, write back: the read-modify-write a lock is meant to protect. The stall ignores the lost-lock
    // token on purpose: a paused process does not see it either.
    private async Task<DepositResult> DepositAsync(string accountId, long cents, Func<Task> pauseAfterRead, RedlockLease lease)
    {
        var balance = await ledger.BalanceAsync(accountId);
        await pauseAfterRead();
        var written = await ledger.WriteAsync(accountId, balance + cents, lease.FencingToken);
        return new DepositResult(written, lease.FencingToken, balance, balance + cents);
    }
}

public readonly record struct DepositResult(bool Written, long? Token, long ReadBalance, long WrittenBalance);
