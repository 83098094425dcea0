using AccountTransfers.Ledger;
using RedlockAspects;

namespace AccountTransfers.Banking;

public sealed class LockedTransfers(Teller teller, IRedlock redlock, RedisLedger ledger) : ITransfers
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(1000);

    public async Task<TransferOutcome> InTwoStepsAsync(string from, string to, long cents, CancellationToken ct)
    {
        if (!await teller.TryWithdrawAsync(from, cents, ct))
        {
            return TransferOutcome.Declined;
        }

        // The money has left the source: the deposit must happen, so a busy target is waited out, not given up on.
        while (true)
        {
            try
            {
                await teller.DepositAsync(to, cents, ct);
                return TransferOutcome.Done;
            }
            catch (RedlockBusyException)
            {
            }
        }
    }

    public async Task<TransferOutcome> UnderBothLocksAsync(string from, string to, long cents, CancellationToken ct)
    {
        // The same keys the card's methods lock, so the two styles exclude each other. The engine takes both or
        // neither in one script per node; the stable (ordinal) order keeps the key list the same whichever way the
        // money goes, which is what lock ordering needs once the locks are taken one after another.
        string[] keys = [.. new[] { "key:" + from, "key:" + to }.Order(StringComparer.Ordinal)];
        await using var lease = await redlock.AcquireAsync(keys, Ttl, cancellationToken: ct);
        if (await ledger.BalanceAsync(from) < cents)
        {
            return TransferOutcome.Declined;
        }

        await ledger.AddAsync(from, -cents, ct);
        await ledger.AddAsync(to, cents, ct);
        return TransferOutcome.Done;
    }
}
