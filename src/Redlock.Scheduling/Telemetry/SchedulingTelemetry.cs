using System.Diagnostics.Metrics;

namespace RedlockAspects.Scheduling;

/// <summary>
/// Metrics on the standard .NET <see cref="Meter"/> named <see cref="Name"/>: occurrences by outcome and run
/// durations (in seconds), with the attributes <c>redlock.job.name</c> and <c>redlock.outcome</c>, in the same
/// OpenTelemetry style as the engine's <c>RedlockAspects</c> meter. Nothing is recorded while nobody listens.
/// </summary>
public static class SchedulingTelemetry
{
    /// <summary>The meter name: <c>RedlockAspects.Scheduling</c>.</summary>
    public const string Name = "RedlockAspects.Scheduling";

    private static readonly Meter Meter = new(Name, typeof(SchedulingTelemetry).Assembly.GetName().Version?.ToString());

    // redlock.outcome = ran_here | ran_elsewhere | recovered | failed; one per instance per occurrence.
    private static readonly Counter<long> Occurrences = Meter.CreateCounter<long>(
        "redlock.scheduling.occurrences", unit: "{occurrence}", description: "Occurrences by outcome, per instance");

    // Only for runs of the body in this instance.
    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "redlock.scheduling.run.duration", unit: "s", description: "How long the job ran");

    internal static void Record(OccurrenceReport report, TimeSpan? ran)
    {
        var job = new KeyValuePair<string, object?>("redlock.job.name", report.Job);
        var outcome = new KeyValuePair<string, object?>("redlock.outcome", Tag(report.Outcome));
        Occurrences.Add(1, job, outcome);
        if (ran is { } duration && RunDuration.Enabled)
        {
            RunDuration.Record(duration.TotalSeconds, job, outcome);
        }
    }

    private static string Tag(OccurrenceOutcome outcome) => outcome switch
    {
        OccurrenceOutcome.RanHere => "ran_here",
        OccurrenceOutcome.RanElsewhere => "ran_elsewhere",
        OccurrenceOutcome.Recovered => "recovered",
        _ => "failed",
    };
}
