namespace RedlockAspects;

/// <summary>
/// The lock stayed held, and the retries or the wait budget ran out. Usually another owner holds it; when it is this
/// same async flow (a nested call with reentrancy off), <see cref="HeldByCurrentFlow"/> says so.
/// </summary>
public sealed class RedlockBusyException : RedlockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resources">The resources.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="waited">How long the caller waited in all.</param>
    public RedlockBusyException(IReadOnlyList<string> resources, int attempts, TimeSpan waited)
        : this(resources, attempts, waited, [], null)
    {
    }

    /// <summary>Creates the exception for a caller that itself holds locks on the same engine.</summary>
    /// <param name="resources">The resources.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="waited">How long the caller waited in all.</param>
    /// <param name="alsoHolding">The resources the calling async flow held on the same engine while it waited.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RedlockBusyException(IReadOnlyList<string> resources, int attempts, TimeSpan waited, IReadOnlyList<string> alsoHolding, Exception? innerException = null)
        : base(resources, BuildMessage(resources, attempts, waited, alsoHolding ?? [], out var own), innerException)
    {
        Attempts = attempts;
        Waited = waited;
        AlsoHolding = alsoHolding ?? [];
        HeldByCurrentFlow = own.Count > 0;
    }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>How long the caller waited in all.</summary>
    public TimeSpan Waited { get; }

    /// <summary>
    /// True when this same async flow holds (some of) the requested resources: a nested acquisition with reentrancy
    /// off waited for its own caller.
    /// </summary>
    public bool HeldByCurrentFlow { get; }

    /// <summary>
    /// The resources the calling async flow already held on the same engine while it waited; empty when none. When
    /// <see cref="HeldByCurrentFlow"/> is false and this is not empty, another owner waiting for one of these would be a
    /// lock-order inversion.
    /// </summary>
    public IReadOnlyList<string> AlsoHolding { get; }

    private static string BuildMessage(IReadOnlyList<string> resources, int attempts, TimeSpan waited, IReadOnlyList<string> alsoHolding, out List<string> own)
    {
        own = resources.Where(r => alsoHolding.Contains(r, StringComparer.Ordinal)).ToList();
        var gaveUp = $"gave up after {attempts} attempt(s) over {waited.TotalMilliseconds:0} ms";
        if (own.Count > 0)
        {
            return $"The lock on {Describe(resources)} is held by this same async flow ({Describe(own)}; reentrancy is off); {gaveUp}.";
        }

        var message = $"The lock on {Describe(resources)} is held by another owner; {gaveUp}.";
        return alsoHolding.Count == 0
            ? message
            : message + $" Meanwhile this async flow holds {Describe(alsoHolding)}: if that owner is waiting for it, the two wait for each other (a lock-order inversion); take locks in one order, or together in one call.";
    }
}
