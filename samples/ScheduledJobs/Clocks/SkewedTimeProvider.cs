namespace ScheduledJobs.Clocks;

// A machine whose wall clock is off by a fixed amount, like the article's test box that had been set ~10 s ahead.
// Only the wall clock is wrong: timers and timestamps stay the system's monotonic ones, as on a real machine.
public sealed class SkewedTimeProvider(TimeSpan skew) : TimeProvider
{
    public TimeSpan Skew { get; } = skew;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Skew;
}
