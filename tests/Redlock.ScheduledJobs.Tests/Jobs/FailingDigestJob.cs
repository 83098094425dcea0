using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests.Jobs;

/// <summary>A job without a minimum hold whose body throws (the work's fault); it notes the token it held.</summary>
public sealed partial class FailingDigestJob(IRedlock redlock, DigestWork work) : IDigestJob
{
    public const int TtlMs = 10_000;

    public string? LastToken { get; private set; }

    [DistributedLock("jobs:failing:{occurrence:yyyyMMddHHmmss}", TtlMs = TtlMs, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

    private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct, RedlockLease lease)
    {
        LastToken = lease.Token;
        return work.DoAsync(occurrence, ct);
    }
}
