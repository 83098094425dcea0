using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>MinHoldDigestJob, but with a minimum hold (5 s) shorter than the clocks' spread in the tests (20 s).</summary>
public sealed partial class ShortHoldDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int MinHoldMs = 5_000;

    [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmmss}", TtlMs = 1000, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
