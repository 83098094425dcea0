using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Waiting;

/// <summary>
/// Wake-up across engines that share no process state: each engine here opens its own connections from node strings,
/// and its wait line and subscriptions belong to that engine alone, so what links them is the nodes' pub/sub, exactly as
/// between two processes. A message is only a hint: waiters whose wake-up never comes still get the lock by polling.
/// </summary>
public class WakeOnReleaseTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_in_another_engine_is_woken_by_the_release_long_before_its_next_poll(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holderEngine = bed.Engine();

        // Polls once a minute: only a wake-up can hand it the lock within the test's time.
        var waiterEngine = bed.Engine(o =>
        {
            o.RetryDelay = TimeSpan.FromMinutes(1);
            o.RetryJitter = TimeSpan.Zero;
        });
        var resource = Names.Unique("wake");
        var holder = await holderEngine.AcquireAsync(resource, Ttl);

        var waiting = waiterEngine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromMinutes(5) });
        await SubscribedEverywhereAsync(bed, resource);

        Assert.False(waiting.IsCompleted);

        await holder.ReleaseAsync();

        var done = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(done == waiting, "the waiter was not woken by the release; it would have waited for its one-minute poll");
        await using var lease = await waiting;
        Assert.Equal(resource, lease.Resource);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_cancelled_in_its_pause_stops_at_once_and_leaves_the_release_to_the_next(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holderEngine = bed.Engine();

        // Both waiters poll once a minute: only the cancellation can end the first one's pause, and only a wake-up can
        // hand the second the lock within the test's time.
        var waiterEngine = bed.Engine(o =>
        {
            o.RetryDelay = TimeSpan.FromMinutes(1);
            o.RetryJitter = TimeSpan.Zero;
        });
        var resource = Names.Unique("cancelled-wait");
        var holder = await holderEngine.AcquireAsync(resource, Ttl);
        var waitLong = new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromMinutes(5) };

        using var cancel = new CancellationTokenSource();
        var first = waiterEngine.AcquireAsync(resource, Ttl, waitLong, cancel.Token);
        await SubscribedEverywhereAsync(bed, resource);

        // The second joins the engine's line behind the first, which still contends for the key.
        var second = waiterEngine.AcquireAsync(resource, Ttl, waitLong);
        await Task.Delay(200);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        await cancel.CancelAsync();
        var stopped = await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(stopped == first, "the cancelled waiter slept on towards its one-minute poll");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        await holder.ReleaseAsync();
        var done = await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(done == second, "the release did not reach the waiter behind the cancelled one");
        await using var lease = await second;
        Assert.Equal(resource, lease.Resource);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_release_that_publishes_nothing_still_ends_in_acquisition_by_polling(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var waiterEngine = bed.Engine(o => o.RetryDelay = TimeSpan.FromMilliseconds(300));
        var resource = Names.Unique("lost-wake");
        var theirToken = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await (await bed.NodeAsync(i)).StringSetAsync(resource, theirToken, Ttl, When.NotExists));
        }

        var waiting = waiterEngine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2) });
        await SubscribedEverywhereAsync(bed, resource);

        // A node redlock client releases: the key goes, no message comes.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, (long)await (await bed.NodeAsync(i)).ScriptEvaluateAsync(NodeRedlockWire.Release, [resource], [theirToken]));
        }

        await using var lease = await waiting;
        Assert.Equal(resource, lease.Resource);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_gets_the_lock_when_a_holder_that_never_releases_lets_its_key_expire(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var doomed = bed.Engine();
        var waiterEngine = bed.Engine(o => o.RetryDelay = TimeSpan.FromMilliseconds(300));
        var resource = Names.Unique("expired-holder");
        var holder = await doomed.AcquireAsync(resource, TimeSpan.FromSeconds(3));

        // (Not waiting for the subscription here: on a slow machine the key may expire first, and the test still holds.)
        var waiting = waiterEngine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2) });

        // The holder's process goes away without releasing: its key simply expires, and nothing is published.
        await doomed.DisposeAsync();

        await using var lease = await waiting;
        Assert.NotEqual(holder.Token, lease.Token);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_is_subscribed_only_while_it_waits(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holderEngine = bed.Engine();
        var waiterEngine = bed.Engine();
        var resource = Names.Unique("subscribed");
        var holder = await holderEngine.AcquireAsync(resource, Ttl);
        Assert.Equal(0, await SubscribersAsync(bed, 0, resource));

        var waiting = waiterEngine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2) });
        await SubscribedEverywhereAsync(bed, resource);
        await holder.ReleaseAsync();
        await using var lease = await waiting;

        await Eventually.TrueAsync(
            async () => await SubscribersAsync(bed, 0, resource) + await SubscribersAsync(bed, 1, resource) + await SubscribersAsync(bed, 2, resource) == 0,
            TimeSpan.FromSeconds(20),
            "the waiter stayed subscribed after it got the lock");
    }

    private static Task SubscribedEverywhereAsync(LockBed bed, string resource) =>
        Eventually.TrueAsync(
            async () =>
            {
                for (var i = 0; i < 3; i++)
                {
                    if (await SubscribersAsync(bed, i, resource) == 0)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(20),
            "the waiter never subscribed to the key's wake channel on every node");

    private static async Task<long> SubscribersAsync(LockBed bed, int node, string resource)
    {
        var db = await bed.NodeAsync(node);
        var reply = await db.ExecuteAsync("PUBSUB", "NUMSUB", resource + ":redlock-wake");
        var parts = (RedisResult[])reply!;
        return (long)parts[1];
    }
}
