namespace ScheduledJobs.Scheduling;

// What a scheduler reports. The console table listens; so does the tests' lock-step clock driver, which needs to
// know when an instance is waiting on its timer and when its run has finished.
public interface IRunObserver
{
    // The instance's timer for `due` is set, and the instance is idle until it fires.
    void Armed(string instance, DateTimeOffset due);

    // The instance finished its attempt at an occurrence.
    void Completed(RunRecord record);

    // The instance has no more occurrences (or was stopped).
    void Finished(string instance);
}
