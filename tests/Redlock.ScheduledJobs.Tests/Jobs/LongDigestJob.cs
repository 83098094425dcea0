using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>
/// A job whose lock lives 300 ms (500 ms for the first, from the minimum hold) while its body works far longer:
/// only automatic extension (on by default) keeps the key.
/// </summary>
public sealed partial class LongDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int TtlMs = 300;

    public const int MinHoldMs = 500;

    [DistributedLock("jobs:long:{occurrence:yyyyMMddHHmmss}", TtlMs = TtlMs, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
