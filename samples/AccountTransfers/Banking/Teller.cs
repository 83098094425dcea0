using AccountTransfers.Ledger;
using RedlockAspects;

namespace AccountTransfers.Banking;

// The design card's example, verbatim: one lock per account, "key:" followed by the account id.
public sealed partial class Teller(IRedlock redlock, RedisLedger ledger)
{
    [DistributedLock("key:<accountId>", TtlMs=1000)]
    public partial Task DepositAsync(string accountId, long cents, CancellationToken ct = default);

    [DistributedLock("key:<accountId>", TtlMs=1000)]
    public partial Task<bool> TryWithdrawAsync(string accountId, long cents, CancellationToken ct = default);

    private Task DepositAsyncCore(string accountId, long cents, CancellationToken ct) => ledger.AddAsync(accountId, cents, ct);

    private async Task<bool> TryWithdrawAsyncCore(string accountId, long cents, CancellationToken ct)
    {
        // Under the lock, the balance cannot change between this check and the write.
        if (await ledger.BalanceAsync(accountId) < cents)
        {
            return false;
        }

        await ledger.AddAsync(accountId, -cents, ct);
        return true;
    }
}
