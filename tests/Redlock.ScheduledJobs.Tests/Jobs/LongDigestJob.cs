using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>
/// A job whose lock lives 1 s (1.2 s at first, from the minimum hold) while its body works three times as long:
/// only automatic extension (on by default) keeps the key.
/// </summary>
public sealed partial class LongDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int TtlMs = 1000;

    public const int MinHoldMs = 1200;

    [DistributedLock("jobs:long:{occurrence:yyyyMMddHHmmss}", TtlMs = TtlMs, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
