namespace ScheduledJobs.Scheduling;

public enum RunOutcome
{
    // This instance ran the body.
    Ran,

    // Another instance had this occurrence (done, or still held when this instance stopped looking).
    Skipped,

    // The call threw: no quorum, a lost lock, or the body failed.
    Failed,

    // Another instance took the occurrence first and died mid-run; this one took it over and ran the body.
    Recovered,

    // This instance was killed in the middle of the body (--kill-one).
    Killed,
}
