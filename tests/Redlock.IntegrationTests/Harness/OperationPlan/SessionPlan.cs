namespace RedlockAspects.IntegrationTests.Harness.OperationPlan;

/// <summary>How a session takes its lease.</summary>
internal enum AcquireKind
{
    Acquire,
    TryAcquire,
    AcquireMany,
    TryAcquireMany,

    /// <summary>One resource through the fair queue across processes (<see cref="RedlockAcquireOptions.Fair"/>), waiting.</summary>
    FairAcquire,

    /// <summary>One resource through the fair queue, null when busy at the end of the wait.</summary>
    FairTryAcquire,

    /// <summary>A deliberately invalid call (negative or huge TTL, empty or duplicate resources, unbounded minimum hold): must throw an argument exception.</summary>
    Invalid,
}

/// <summary>What a session does with its lease while holding it.</summary>
internal enum StepKind
{
    Hold,
    ExtendLonger,
    ExtendShorter,

    /// <summary>Extend to a few milliseconds, just above what can still leave validity.</summary>
    ExtendNearMinimum,

    /// <summary>Extend to less than a millisecond: rejected or unconfirmed, but the key must never be deleted under a believing lease.</summary>
    ExtendSubMillisecond,

    /// <summary>Extend with the lease's current TTL.</summary>
    ExtendDefault,

    /// <summary>Zero or negative TTL: must throw ArgumentOutOfRangeException.</summary>
    ExtendInvalid,

    /// <summary>
    /// Acquire the lease's own resources again in the same async flow (a locked method calling a locked method): while the
    /// lease holds, it must be shared (same object, no round trip), and releasing the nested hold must not free the lock.
    /// </summary>
    Nested,
}

/// <summary>How a session ends.</summary>
internal enum EndKind
{
    Release,
    Dispose,

    /// <summary>Release, then extend: must throw InvalidOperationException.</summary>
    ReleaseThenExtend,

    /// <summary>Leave it to expire; the run disposes it at the end.</summary>
    Abandon,
}

internal readonly record struct PlannedStep(StepKind Kind, TimeSpan Value);

/// <summary>One lease's life, drawn from the worker's seeded random.</summary>
internal sealed record SessionPlan(
    AcquireKind Kind,
    IReadOnlyList<int> Resources,
    TimeSpan Ttl,
    TimeSpan MaxWait,
    bool AutoExtend,
    TimeSpan? ExtendInterval,
    TimeSpan? MaxHold,
    TimeSpan? MinHold,
    TimeSpan? CancelAfter,
    bool ThrowingCallback,
    IReadOnlyList<PlannedStep> Steps,
    EndKind End)
{
    public override string ToString() =>
        $"{Kind} [{string.Join(",", Resources)}] ttl {Ttl.TotalMilliseconds:0.###} ms" +
        (AutoExtend ? $", auto-extend every {ExtendInterval?.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) ?? "ttl/3"} ms up to {MaxHold?.TotalMilliseconds:0} ms" : string.Empty) +
        (MinHold is { } minHold ? $", min hold {minHold.TotalMilliseconds:0} ms" : string.Empty) +
        (CancelAfter is { } cancel ? $", cancel after {cancel.TotalMilliseconds:0} ms" : string.Empty) +
        (ThrowingCallback ? ", throwing LostToken callback" : string.Empty) +
        $", steps [{string.Join(", ", Steps.Select(s => $"{s.Kind} {s.Value.TotalMilliseconds:0.###}"))}], then {End}";
}
