using Microsoft.Extensions.Logging;

namespace RedlockAspects.Scheduling;

/// <summary>The scheduler's log lines: one per occurrence outcome, plus the rare events worth a warning.</summary>
internal static partial class SchedulingLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Job {Job}: occurrence {Occurrence:O} ran here (attempts {Attempts})")]
    public static partial void RanHere(ILogger logger, string job, DateTimeOffset occurrence, int attempts);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Job {Job}: occurrence {Occurrence:O} ran elsewhere")]
    public static partial void RanElsewhere(ILogger logger, string job, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Job {Job}: occurrence {Occurrence:O} recovered here: its holder's lock expired before it was marked done")]
    public static partial void Recovered(ILogger logger, string job, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Job {Job}: occurrence {Occurrence:O} failed (attempts {Attempts})")]
    public static partial void Failed(ILogger logger, string job, DateTimeOffset occurrence, int attempts, Exception? exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Job {Job}: occurrence {Occurrence:O} attempt {Attempt} failed; retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string job, DateTimeOffset occurrence, int attempt, double delayMs, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Job {Job}: occurrence {Occurrence:O} completed but no quorum took its done marker; another instance may run it again")]
    public static partial void MarkFailed(ILogger logger, string job, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Job {Job}: catching up {Count} missed occurrence(s) from {First:O}")]
    public static partial void CatchingUp(ILogger logger, string job, int count, DateTimeOffset first);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Job {Job}: an observer threw")]
    public static partial void ObserverFailed(ILogger logger, string job, Exception exception);
}
