using RedlockAspects;

namespace ScheduledJobs.Jobs;

// The fixed job. Three things together make each occurrence run once across instances whose clocks disagree:
//  - the occurrence is in the key, so every occurrence has its own lock and a late instance asks for the same one;
//  - MinHoldMs keeps that key for 25 s after the start even though the body takes under a second, so instances
//    whose clocks are up to 24 s apart (skews within +/-12 s, plus a second of slack) still find it taken;
//  - OnBusy.Skip with WaitMs = 0: finding it taken means someone else ran it, so return at once.
// TtlMs stays short because AutoExtend (on by default) keeps the lock alive for as long as the body runs.
public sealed partial class DigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int MinHoldMs = 25_000;

    [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmmss}", TtlMs = 1000, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => work.DoAsync(occurrence, ct);
}
