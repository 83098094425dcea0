namespace RedlockAspects.Scheduling.Execution;

/// <summary>What trying to take an occurrence found.</summary>
internal enum ClaimState
{
    /// <summary>The lock is ours and the occurrence is not done: run it.</summary>
    Acquired,

    /// <summary>Another instance holds the occurrence's lock right now.</summary>
    Busy,

    /// <summary>The occurrence is marked done.</summary>
    Done,
}

/// <summary>A claim's state, with the held lease when <see cref="ClaimState.Acquired"/>.</summary>
internal readonly record struct ClaimResult(ClaimState State, RedlockLease? Lease)
{
    public static ClaimResult Busy => new(ClaimState.Busy, null);

    public static ClaimResult Done => new(ClaimState.Done, null);
}
