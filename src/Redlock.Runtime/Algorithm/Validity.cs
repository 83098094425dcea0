namespace RedlockAspects.Algorithm;

/// <summary>
/// The Redlock validity rule, as node <c>redlock</c> applies it: a grant is believed until
/// start + ttl − drift, where start is when the winning attempt (or extension) was sent. Counting from the start,
/// not from the answers, is what keeps the belief inside the keys' life on every node whatever the latency.
/// </summary>
internal static class Validity
{
    /// <summary>drift = ttl × factor + 2 ms, as in the Redlock description and node <c>redlock</c>.</summary>
    public static TimeSpan Drift(TimeSpan ttl, double driftFactor) =>
        TimeSpan.FromTicks((long)(ttl.Ticks * driftFactor)) + TimeSpan.FromMilliseconds(2);

    /// <summary>How long after the attempt's start the grant may be believed: ttl − drift.</summary>
    public static TimeSpan Span(TimeSpan ttl, double driftFactor) => ttl - Drift(ttl, driftFactor);

    /// <summary>The deadline, in <paramref name="context"/>'s timestamps, of a grant of <paramref name="ttl"/> sent at <paramref name="startedAt"/>.</summary>
    public static long Deadline(EngineContext context, long startedAt, TimeSpan ttl) =>
        startedAt + context.ToTimestamp(Span(ttl, context.DriftFactor));
}
