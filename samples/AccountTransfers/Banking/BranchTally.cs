namespace AccountTransfers.Banking;

// What one branch did. Updated by its tellers concurrently.
public sealed class BranchTally(string name)
{
    private int _twoStep;
    private int _bothLocks;
    private int _declined;
    private int _busy;

    public string Name { get; } = name;

    public int TwoStep => _twoStep;

    public int BothLocks => _bothLocks;

    public int Declined => _declined;

    // Gave up waiting for a lock; nothing was moved.
    public int Busy => _busy;

    public void Count(TransferOutcome outcome, bool bothLocks)
    {
        if (outcome == TransferOutcome.Declined)
        {
            Interlocked.Increment(ref _declined);
        }
        else if (bothLocks)
        {
            Interlocked.Increment(ref _bothLocks);
        }
        else
        {
            Interlocked.Increment(ref _twoStep);
        }
    }

    public void CountBusy() => Interlocked.Increment(ref _busy);
}
