using RedlockAspects.Scheduling;

namespace ScheduledJobs.Scheduling;

// Turns the scheduler's report for each occurrence into the journal's record for this instance. Occurrences outside
// the demo's window (the instances also fire the ones before it while they start) are not part of the table.
public sealed class JournalObserver(string instance, OccurrenceWindow window, IRunObserver journal) : IScheduledJobObserver
{
    public void OnOccurrence(OccurrenceReport report)
    {
        if (report.Occurrence < window.First || report.Occurrence > window.Last)
        {
            return;
        }

        var outcome = report.Outcome switch
        {
            OccurrenceOutcome.RanHere => RunOutcome.Ran,
            OccurrenceOutcome.Recovered => RunOutcome.Recovered,
            OccurrenceOutcome.RanElsewhere => RunOutcome.Skipped,
            _ => RunOutcome.Failed,
        };
        var error = report.Exception is { } e ? e.GetType().Name + ": " + e.Message : null;
        journal.Completed(new RunRecord(instance, report.Occurrence, report.FiredAt, outcome, error));
    }
}
