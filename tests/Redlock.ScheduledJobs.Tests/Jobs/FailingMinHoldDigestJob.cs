using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>
/// A job with a 2 s minimum hold under a 10 s TTL whose body throws: release must shorten the key to what is left
/// of the 2 s (a key that was never released would still have about 10 s).
/// </summary>
public sealed partial class FailingMinHoldDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int TtlMs = 10_000;

    public const int MinHoldMs = 2_000;

    public string? LastToken { get; private set; }

    [DistributedLock("jobs:failing-held:{occurrence:yyyyMMddHHmmss}", TtlMs = TtlMs, MinHoldMs = MinHoldMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct, RedlockLease lease)
    {
        LastToken = lease.Token;
        return work.DoAsync(occurrence, ct);
    }
}
