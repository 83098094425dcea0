using AccountTransfers.Ledger;

namespace AccountTransfers.Banking;

// The same read-modify-write with no lock at all (--without-lock): concurrent updates overwrite each other.
public sealed class UnlockedTransfers(RedisLedger ledger) : ITransfers
{
    public Task<TransferOutcome> InTwoStepsAsync(string from, string to, long cents, CancellationToken ct) => MoveAsync(from, to, cents, ct);

    public Task<TransferOutcome> UnderBothLocksAsync(string from, string to, long cents, CancellationToken ct) => MoveAsync(from, to, cents, ct);

    private async Task<TransferOutcome> MoveAsync(string from, string to, long cents, CancellationToken ct)
    {
        if (await ledger.BalanceAsync(from) < cents)
        {
            return TransferOutcome.Declined;
        }

        await ledger.AddAsync(from, -cents, ct);
        await ledger.AddAsync(to, cents, ct);
        return TransferOutcome.Done;
    }
}
