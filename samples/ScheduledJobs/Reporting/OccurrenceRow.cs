using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Reporting;

// Everything the instances did about one occurrence, keyed by instance name. A killed run does not count as ran:
// its body never completed.
public sealed record OccurrenceRow(DateTimeOffset Occurrence, IReadOnlyDictionary<string, RunRecord> ByInstance)
{
    public IReadOnlyList<string> RanOn => ByInstance.Values.Where(r => r.Outcome is RunOutcome.Ran or RunOutcome.Recovered).Select(r => r.Instance).Order(StringComparer.Ordinal).ToArray();
}
