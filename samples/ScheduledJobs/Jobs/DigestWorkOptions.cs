namespace ScheduledJobs.Jobs;

public sealed class DigestWorkOptions
{
    public TimeSpan Duration { get; init; }

    // When set, the body throws this after working (the tests use it for a job that fails).
    public Func<DateTimeOffset, Exception>? Fault { get; init; }
}
