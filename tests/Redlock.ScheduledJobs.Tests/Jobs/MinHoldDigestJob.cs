using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>
/// The hand-assembled fix the sample used before <c>AddScheduledJob</c>: the occurrence in the key, a 25 s minimum
/// hold, OnBusy.Skip. Still a supported way to use the runtime alone (at most once; no recovery).
/// </summary>
public sealed partial class MinHoldDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int MinHoldMs = 25_000;

    [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmmss}", TtlMs = 1000, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
