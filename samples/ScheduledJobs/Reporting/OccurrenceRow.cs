using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Reporting;

// Everything the instances did about one occurrence, keyed by instance name.
public sealed record OccurrenceRow(DateTimeOffset Occurrence, IReadOnlyDictionary<string, RunRecord> ByInstance)
{
    public IReadOnlyList<string> RanOn => ByInstance.Values.Where(r => r.Outcome == RunOutcome.Ran).Select(r => r.Instance).Order(StringComparer.Ordinal).ToArray();
}
