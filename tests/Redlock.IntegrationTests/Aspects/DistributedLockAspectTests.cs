using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Aspects;

/// <summary>Generated wrappers, compiled into this assembly by the generator, running against real nodes.</summary>
public class DistributedLockAspectTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_card_example_locks_key_colon_account_and_excludes_concurrent_callers(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var checker = new OverlapChecker();

        // Three "instances", each with its own engine and service, four callers each, all on one account.
        var services = Enumerable.Range(0, 3).Select(_ => new Billing(bed.Engine(o => o.RetryCount = -1), checker)).ToArray();
        var calls = services.SelectMany(service => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await service.ChargeAsync("acc-42", 10m);
            }
        })));
        await Task.WhenAll(calls);

        Assert.Equal(300, services.Sum(s => s.Charges));
        Assert.Equal(0, checker.LiveOverlaps);
        Assert.Empty(checker.IntervalOverlaps());
        await bed.GoneEverywhereAsync("key:acc-42");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_key_is_built_from_the_arguments_while_the_body_runs(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var ledger = new Ledger(bed.Engine());
        string?[]? seen = null;
        ledger.WhileHolding = async _ => seen = await bed.ValuesAsync("ledger:acc-7:2026-11-25");

        var balance = await ledger.BalanceAsync("acc-7", new DateTime(2026, 11, 25, 13, 45, 0));

        Assert.Equal(42.5m, balance);
        Assert.NotNull(seen);
        Assert.True(seen!.Count(v => v is not null) >= 2, "the lock key was not held on a quorum during the body");
        await bed.GoneEverywhereAsync("ledger:acc-7:2026-11-25");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_body_taking_the_lease_sees_the_held_lock(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var ledger = new Ledger(bed.Engine());

        var result = await ledger.AuditAsync("acc-9");

        var parts = result.Split('|');
        Assert.Equal("ledger:audit:acc-9", parts[0]);
        Assert.Matches("^[0-9a-f]{32}$", parts[1]);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_bodys_exception_propagates_unchanged_and_the_lock_is_released(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var ledger = new Ledger(engine);
        var original = new InvalidDataException("ledger corrupt");

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => ledger.FailAsync("acc-1", original));

        Assert.Same(original, thrown);
        await bed.GoneEverywhereAsync("ledger:fail:acc-1");
        await using var again = await engine.AcquireAsync("ledger:fail:acc-1", TimeSpan.FromSeconds(1), new RedlockAcquireOptions { RetryCount = 0 });
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Skip_returns_without_running_the_body_while_someone_else_holds_the_occurrence(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var ledger = new Ledger(engine);
        var occurrence = new DateTimeOffset(2026, 11, 25, 12, 5, 0, TimeSpan.Zero);
        // Held by another flow: within this one the job's acquisition would be reentrant.
        var other = await Task.Run(() => engine.AcquireAsync("jobs:digest:202611251205", TimeSpan.FromSeconds(10)));

        await ledger.DigestAsync(occurrence);
        Assert.Equal(0, ledger.DigestRuns);

        await other.ReleaseAsync();
        await ledger.DigestAsync(occurrence);
        Assert.Equal(1, ledger.DigestRuns);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_skip_method_declared_bool_returns_false_while_busy_and_true_once_its_body_ran(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var ledger = new Ledger(engine);
        // Held by another flow: within this one the acquisition would be reentrant.
        var other = await Task.Run(() => engine.AcquireAsync("jobs:report:7", TimeSpan.FromSeconds(10)));

        Assert.False(await ledger.ReportAsync(7));
        Assert.False(await ledger.ReportValueAsync(7));
        Assert.Equal(0, ledger.ReportRuns);

        await other.ReleaseAsync();
        Assert.True(await ledger.ReportAsync(7));
        Assert.True(await ledger.ReportValueAsync(7));
        Assert.Equal(2, ledger.ReportRuns);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lost_lock_cancels_the_bodys_token_and_surfaces_as_RedlockLostException(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var ledger = new Ledger(bed.Engine());
        var started = new TaskCompletionSource();

        var running = ledger.LongRunningAsync("acc-3", started, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The 2 s TTL is being extended in the background; take the key away from a majority. An acquisition returns
        // at a quorum, so first wait for the last node's SET: landing after the delete, it would restore the majority
        // and the lock, rightly, would never be lost.
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync("ledger:long:acc-3")).All(v => v is not null), TimeSpan.FromSeconds(30));
        await (await bed.NodeAsync(0)).KeyDeleteAsync("ledger:long:acc-3");
        await (await bed.NodeAsync(1)).KeyDeleteAsync("ledger:long:acc-3");
        var error = await Assert.ThrowsAsync<RedlockLostException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("ledger:long:acc-3", error.Resource);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_callers_own_cancellation_stays_a_cancellation(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var ledger = new Ledger(bed.Engine());
        var started = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();

        var running = ledger.LongRunningAsync("acc-4", started, cancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync("ledger:long:acc-4")).All(v => v is null));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_null_key_argument_is_rejected_before_any_lock_is_taken(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 1);
        var billing = new Billing(bed.Engine(), new OverlapChecker());

        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => billing.ChargeAsync(null!, 1m));

        Assert.Equal("accountId", error.ParamName);
        Assert.Equal(0, billing.Charges);
    }
}
