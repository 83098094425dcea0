namespace ScheduledJobs.Scheduling;

public enum RunOutcome
{
    // This instance took the lock and ran the body.
    Ran,

    // Another instance holds (or held, within the minimum hold) this occurrence's lock.
    Skipped,

    // The call threw: no quorum, a lost lock, or the body failed.
    Failed,
}
