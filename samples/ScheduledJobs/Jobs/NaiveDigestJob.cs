using RedlockAspects;

namespace ScheduledJobs.Jobs;

// The article's setup, translated: lock(resource, ttl = 1000) with the default retries, do the work, unlock.
// One fixed key and a release on completion: it only keeps two runs from overlapping. An instance whose clock is
// behind fires after the early one has finished and released, finds the key free, and runs the occurrence again.
public sealed partial class NaiveDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    [DistributedLock("jobs:digest", TtlMs = 1000, OnBusy = OnBusy.Skip, AutoExtend = false)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
