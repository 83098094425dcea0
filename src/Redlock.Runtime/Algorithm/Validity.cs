namespace RedlockAspects.Algorithm;

/// <summary>The Redlock validity rule: what is left of the TTL after the time spent acquiring and the allowance for clock drift.</summary>
internal static class Validity
{
    /// <summary>drift = ttl × factor + 2 ms, as in the Redlock description and node <c>redlock</c>.</summary>
    public static TimeSpan Drift(TimeSpan ttl, double driftFactor) =>
        TimeSpan.FromTicks((long)(ttl.Ticks * driftFactor)) + TimeSpan.FromMilliseconds(2);

    /// <summary>validity = ttl − elapsed − drift.</summary>
    public static TimeSpan Remaining(TimeSpan ttl, TimeSpan elapsed, double driftFactor) =>
        ttl - elapsed - Drift(ttl, driftFactor);
}
