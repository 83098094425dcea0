namespace RedlockAspects.Scheduling;

/// <summary>One instance's outcome for one occurrence, as logged, counted in the metrics and passed to <see cref="IScheduledJobObserver"/>.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Occurrence">The occurrence, as the schedule names it.</param>
/// <param name="Outcome">What this instance did.</param>
/// <param name="FiredAt">When this instance first tried the occurrence, by its own clock.</param>
/// <param name="Attempts">How many times the job body was started here (0 when it ran elsewhere).</param>
/// <param name="CatchUp">The occurrence was missed while the instance was down and run on start-up.</param>
/// <param name="Exception">Why it failed, for <see cref="OccurrenceOutcome.Failed"/>.</param>
public sealed record OccurrenceReport(
    string Job,
    DateTimeOffset Occurrence,
    OccurrenceOutcome Outcome,
    DateTimeOffset FiredAt,
    int Attempts,
    bool CatchUp,
    Exception? Exception = null)
{
    /// <summary>True when the job body completed in this instance (<see cref="OccurrenceOutcome.RanHere"/> or <see cref="OccurrenceOutcome.Recovered"/>).</summary>
    public bool RanInThisInstance => Outcome is OccurrenceOutcome.RanHere or OccurrenceOutcome.Recovered;
}
