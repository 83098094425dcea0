namespace RedlockAspects;

/// <summary>Reentrancy: the holders that share one lease within an async flow (see <c>Reentrancy/FlowLeases.cs</c>).</summary>
public sealed partial class RedlockLease
{
    // The outermost acquisition is the first hold; each reentrant acquisition adds one; each release drops one.
    private int _holds = 1;

    /// <summary>
    /// How many holders share this lease: 1 for the acquisition that took it from Redis, plus one for each reentrant
    /// acquisition (a nested call in the same async flow) not yet released. The lock is released on the nodes when the
    /// last hold is released. 0 once released.
    /// </summary>
    public int HoldCount
    {
        get { lock (_gate) { return _release is null ? _holds : 0; } }
    }

    /// <summary>Adds a nested holder, unless the lease is released, being released or lost (ownership ends with the lease).</summary>
    internal bool TryAddHold()
    {
        lock (_gate)
        {
            if (_release is not null || _lost || RemainingValidity <= TimeSpan.Zero)
            {
                return false;
            }

            _holds++;
            return true;
        }
    }

    /// <summary>Drops one hold; true when it was the last one and the lock must really be released (or already is).</summary>
    private bool DropHold()
    {
        lock (_gate)
        {
            if (_release is null && _holds > 1)
            {
                _holds--;
                return false;
            }

            return true;
        }
    }
}
