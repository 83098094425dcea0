namespace ScheduledJobs.Jobs;

// What the hand-written scheduler (Scheduling/JobScheduler.cs) calls for each occurrence in --naive mode, and in the
// tests that exercise [DistributedLock] settings directly. The implementations are [DistributedLock] methods, so a
// call may return without running the body when another instance has (or had) this occurrence.
public interface IDigestJob
{
    Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);
}
