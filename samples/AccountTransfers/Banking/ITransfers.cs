namespace AccountTransfers.Banking;

// The two ways a branch moves money, with locks or (for --without-lock) without.
public interface ITransfers
{
    // Withdraw under the source account's lock, then deposit under the target's. Between the two the money is in
    // flight, but it is never counted twice or lost: each leg is atomic on its own account.
    Task<TransferOutcome> InTwoStepsAsync(string from, string to, long cents, CancellationToken ct);

    // Both accounts locked at once, both legs under the locks.
    Task<TransferOutcome> UnderBothLocksAsync(string from, string to, long cents, CancellationToken ct);
}
