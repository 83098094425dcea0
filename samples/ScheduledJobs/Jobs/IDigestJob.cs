namespace ScheduledJobs.Jobs;

// What the scheduler calls for each occurrence. The implementations are [DistributedLock] methods, so a call may
// return without running the body when another instance has (or had) this occurrence.
public interface IDigestJob
{
    Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);
}
