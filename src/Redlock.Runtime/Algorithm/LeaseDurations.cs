using System.Globalization;

namespace RedlockAspects.Algorithm;

/// <summary>
/// The bounds every lease duration shares (TTL, extension TTL, <c>MinHold</c>, <c>MaxHold</c>, <c>ExtendInterval</c>):
/// whole milliseconds from 1 ms to <see cref="int.MaxValue"/> ms (about 24.8 days). Redis <c>PX</c>/<c>PEXPIRE</c> takes whole
/// milliseconds, where 0 deletes the key and a value past the range may leave it with no expiry; .NET timers stop at the same maximum.
/// </summary>
internal static class LeaseDurations
{
    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(1);

    public static readonly TimeSpan Maximum = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>Checks <paramref name="value"/> against the bounds and rounds it up to whole milliseconds.</summary>
    /// <remarks>Rounding up keeps the key's life on the nodes at least as long as what the lease believes.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1 ms, 2,147,483,647 ms].</exception>
    public static TimeSpan Check(TimeSpan value, string name)
    {
        if (value < Minimum || value > Maximum)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be between 1 ms and {Maximum.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} ms (about 24.8 days), the range Redis PX/PEXPIRE and .NET timers accept; it was {Describe(value)}.");
        }

        return RoundUp(value);
    }

    /// <summary>Like <see cref="Check(TimeSpan, string)"/>, for an optional value.</summary>
    public static TimeSpan? Check(TimeSpan? value, string name) => value is { } v ? Check(v, name) : null;

    /// <summary>
    /// Checks a lock TTL: within the bounds, and long enough to leave <paramref name="minValidity"/> after the drift
    /// allowance, so that an attempt can ever succeed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is out of bounds or too short to be useful.</exception>
    public static TimeSpan CheckTtl(TimeSpan ttl, string name, double driftFactor, TimeSpan minValidity)
    {
        var whole = Check(ttl, name);
        var drift = Validity.Drift(whole, driftFactor);
        if (whole - drift < minValidity || whole <= drift)
        {
            throw new ArgumentOutOfRangeException(name, ttl,
                $"{name} of {Describe(ttl)} leaves no validity: the clock-drift allowance takes {Describe(drift)} and at least {Describe(minValidity)} must remain (MinValidity). Use a TTL of at least {Describe(Shortest(driftFactor, minValidity))}.");
        }

        return whole;
    }

    /// <summary>The shortest TTL that leaves <paramref name="minValidity"/> after drift.</summary>
    public static TimeSpan Shortest(double driftFactor, TimeSpan minValidity)
    {
        // ttl − (ttl × f + 2 ms) ≥ minValidity  ⇔  ttl ≥ (minValidity + 2 ms) / (1 − f); strictly above the drift as well.
        var ms = Math.Ceiling((minValidity.TotalMilliseconds + 2) / (1 - driftFactor));
        return TimeSpan.FromMilliseconds(Math.Max(ms, 3));
    }

    /// <summary>Whole milliseconds for a Redis command, rounded up.</summary>
    public static long ToMilliseconds(TimeSpan value) => (long)Math.Ceiling(value.Ticks / (double)TimeSpan.TicksPerMillisecond);

    private static TimeSpan RoundUp(TimeSpan value) => TimeSpan.FromMilliseconds(ToMilliseconds(value));

    private static string Describe(TimeSpan value) =>
        value == TimeSpan.MaxValue ? "TimeSpan.MaxValue"
        : value == TimeSpan.MinValue ? "TimeSpan.MinValue"
        : value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
