namespace RedlockAspects;

/// <summary>
/// A reentrant request for several resources of which this async flow already holds some, but not all through one
/// lease. Refused at once, without a round trip: taking only the missing ones would give the caller a lease that does
/// not cover what it asked for, and taking locks one after another is how lock-order inversions start.
/// </summary>
public sealed class RedlockOverlapException : RedlockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resources">The requested resources.</param>
    /// <param name="heldByCurrentFlow">The requested resources this async flow already holds.</param>
    public RedlockOverlapException(IReadOnlyList<string> resources, IReadOnlyList<string> heldByCurrentFlow)
        : base(resources, $"The request for {Describe(resources)} overlaps locks this same async flow already holds ({Describe(heldByCurrentFlow ?? [])}), but no one lease it holds covers all of it; take every resource in the outermost call, or release the held ones first.")
    {
        HeldByCurrentFlow = heldByCurrentFlow ?? [];
    }

    /// <summary>The requested resources this async flow already holds.</summary>
    public IReadOnlyList<string> HeldByCurrentFlow { get; }
}
