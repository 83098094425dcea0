using RedlockAspects.IntegrationTests.Infrastructure;

namespace RedlockAspects.IntegrationTests.Aspects;

/// <summary>The design card's example, verbatim, with a body that records who was inside.</summary>
public sealed partial class Billing(IRedlock redlock, OverlapChecker checker)
{
    public int Charges;

    [DistributedLock("key:<accountId>", TtlMs=1000)]
    public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

    private async Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct)
    {
        var entered = checker.Enter();
        await Task.Delay(1, ct);
        Charges++;
        checker.Leave(entered, Environment.CurrentManagedThreadId);
    }
}

/// <summary>Every return shape, a lease parameter, a throwing body and a skip-if-busy job.</summary>
public sealed partial class Ledger
{
    private readonly IRedlock _redlock;

    public Ledger(IRedlock redlock) => _redlock = redlock;

    public int DigestRuns { get; private set; }

    public Func<CancellationToken, Task>? WhileHolding { get; set; }

    [DistributedLock("ledger:{account}:{day:yyyy-MM-dd}", TtlMs = 2000)]
    public partial Task<decimal> BalanceAsync(string account, DateTime day, CancellationToken ct = default);

    private async Task<decimal> BalanceAsyncCore(string account, DateTime day, CancellationToken ct)
    {
        if (WhileHolding is { } hook)
        {
            await hook(ct);
        }

        return 42.5m;
    }

    [DistributedLock("ledger:audit:{accountId}", TtlMs = 1000)]
    public partial ValueTask<string> AuditAsync(string accountId, CancellationToken ct = default);

    private ValueTask<string> AuditAsyncCore(string accountId, CancellationToken ct, RedlockLease lease) =>
        ValueTask.FromResult(lease.Resource + "|" + lease.Token);

    [DistributedLock("ledger:fail:{accountId}", TtlMs = 1000)]
    public partial Task FailAsync(string accountId, Exception toThrow);

    private Task FailAsyncCore(string accountId, Exception toThrow) => throw toThrow;

    [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmm}", TtlMs = 1000, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task DigestAsync(DateTimeOffset occurrence, CancellationToken ct = default);

    private Task DigestAsyncCore(DateTimeOffset occurrence, CancellationToken ct)
    {
        DigestRuns++;
        return Task.CompletedTask;
    }

    public int ReportRuns { get; private set; }

    /// <summary>Skip, with a result that says whether the body ran (its body returns plain <c>Task</c>).</summary>
    [DistributedLock("jobs:report:{day}", TtlMs = 2000, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial Task<bool> ReportAsync(int day, CancellationToken ct = default);

    private Task ReportAsyncCore(int day, CancellationToken ct)
    {
        ReportRuns++;
        return Task.CompletedTask;
    }

    /// <summary>The same over <c>ValueTask&lt;bool&gt;</c>.</summary>
    [DistributedLock("jobs:report:{day}", TtlMs = 2000, OnBusy = OnBusy.Skip, WaitMs = 0)]
    public partial ValueTask<bool> ReportValueAsync(int day);

    private ValueTask ReportValueAsyncCore(int day)
    {
        ReportRuns++;
        return ValueTask.CompletedTask;
    }

    [DistributedLock("ledger:long:{accountId}", TtlMs = 2000)]
    public partial Task LongRunningAsync(string accountId, TaskCompletionSource started, CancellationToken ct);

    private async Task LongRunningAsyncCore(string accountId, TaskCompletionSource started, CancellationToken ct)
    {
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }
}
