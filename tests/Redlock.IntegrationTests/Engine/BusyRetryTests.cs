using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class BusyRetryTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_retry_count_is_honoured(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holder = bed.Engine();
        var contender = bed.Engine(o =>
        {
            o.RetryCount = 4;
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.RetryJitter = TimeSpan.Zero;
        });
        var resource = Names.Unique("retry");
        await using var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedlockBusyException>(() => contender.AcquireAsync(resource, TimeSpan.FromSeconds(10)));

        Assert.Equal(5, error.Attempts);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(4 * 50), $"4 pauses of 50 ms cannot take {clock.Elapsed.TotalMilliseconds} ms");
        Assert.True(error.Waited >= TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_wait_budget_is_honoured(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holder = bed.Engine();
        var contender = bed.Engine(o =>
        {
            o.RetryCount = -1;
            o.RetryDelay = TimeSpan.FromMilliseconds(30);
            o.RetryJitter = TimeSpan.FromMilliseconds(10);
        });
        var resource = Names.Unique("budget");
        await using var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(10));

        // Connected first, so that the budget is spent on attempts, not on opening connections.
        await (await contender.AcquireAsync(Names.Unique("warm"), TimeSpan.FromSeconds(1))).DisposeAsync();
        var error = await Assert.ThrowsAsync<RedlockBusyException>(
            () => contender.AcquireAsync(resource, TimeSpan.FromSeconds(10), new RedlockAcquireOptions { MaxWait = TimeSpan.FromMilliseconds(400) }));

        // Kept trying through the budget (how many times depends on the machine's load, so only "more than once").
        Assert.True(error.Waited >= TimeSpan.FromMilliseconds(400), $"gave up after {error.Waited.TotalMilliseconds} ms, before the 400 ms budget");
        Assert.True(error.Attempts > 1, $"only {error.Attempts} attempt(s) in a 400 ms budget with ~30 ms pauses");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_gets_the_lock_once_it_is_released(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holder = bed.Engine();
        var waiter = bed.Engine(o => o.RetryCount = -1);
        var resource = Names.Unique("handover");
        var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(10));

        var waiting = waiter.AcquireAsync(resource, TimeSpan.FromSeconds(10), new RedlockAcquireOptions { MaxWait = TimeSpan.FromSeconds(10) });
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await lease.ReleaseAsync();

        await using var next = await waiting;
        Assert.Equal(resource, next.Resource);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Cancellation_stops_the_wait(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 1);
        var engine = bed.Engine(o => o.RetryCount = -1);
        var resource = Names.Unique("cancel");
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.AcquireAsync(resource, TimeSpan.FromSeconds(10), new RedlockAcquireOptions { Reentrant = false }, cancel.Token));
    }
}
