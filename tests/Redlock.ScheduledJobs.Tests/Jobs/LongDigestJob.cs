using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>
/// A job whose lock lives 2 s (2.4 s at first, from the minimum hold) while its body works more than three times as
/// long: only automatic extension (on by default) keeps the key. (At 1 s, a CI machine with both cores busy once went a
/// whole second without a confirmed extension round and the lease was lost; 2 s keeps the point with room for load.)
/// </summary>
public sealed partial class LongDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int TtlMs = 2000;

    public const int MinHoldMs = 2400;

    [DistributedLock("jobs:long:{occurrence:yyyyMMddHHmmss}", TtlMs = TtlMs, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
