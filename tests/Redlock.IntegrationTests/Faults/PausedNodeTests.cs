using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Faults;

/// <summary>Nodes that stop answering without closing the connection: SIGSTOP for redis-server, a stalled relay for Garnet.</summary>
public class PausedNodeTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_paused_minority_does_not_stop_the_lock(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: backend == RedisBackend.Garnet);
        var engine = bed.Engine();
        await bed.Nodes.Nodes[0].PauseAsync();

        var resource = Names.Unique("paused-minority");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));
        await lease.ReleaseAsync();

        await bed.Nodes.Nodes[0].ResumeAsync();

        // Whatever reached the paused node late was undone by the release queued behind it.
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource)).All(v => v is null));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_paused_majority_times_out_on_our_own_timer_with_each_nodes_reason(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: backend == RedisBackend.Garnet);
        var engine = bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromMilliseconds(150);
            o.RetryCount = 1;
        });
        await bed.Nodes.Nodes[0].PauseAsync();
        await bed.Nodes.Nodes[1].PauseAsync();
        var resource = Names.Unique("paused-majority");

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(resource, TimeSpan.FromSeconds(5)));
        var took = clock.Elapsed;

        Assert.Equal(RedlockNodeState.TimedOut, error.Nodes[0].State);
        Assert.Equal(RedlockNodeState.TimedOut, error.Nodes[1].State);
        Assert.Equal(RedlockNodeState.Acquired, error.Nodes[2].State);

        // StackExchange.Redis alone would wait its 5 s async timeout per attempt.
        Assert.True(took < TimeSpan.FromSeconds(4), $"two attempts took {took.TotalMilliseconds} ms; the per-node timeout is 150 ms");

        await bed.Nodes.Nodes[0].ResumeAsync();
        await bed.Nodes.Nodes[1].ResumeAsync();
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource)).All(v => v is null), because: "the late grants were not undone");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lock_expires_under_a_holder_whose_nodes_pause_and_no_two_holders_overlap(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: backend == RedisBackend.Garnet);
        var holder = bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromMilliseconds(100);

            // The drift allowance is the margin between the holder's LostToken timer and the keys' expiry.
            o.DriftFactor = 0.4;
        });
        var contender = bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromMilliseconds(100);
            o.RetryCount = -1;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.RetryJitter = TimeSpan.FromMilliseconds(10);
        });
        var resource = Names.Unique("paused-holder");
        var checker = new OverlapChecker();

        var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { AutoExtend = true });
        var entered = checker.Enter();
        var lost = new TaskCompletionSource();
        lease.LostToken.Register(() =>
        {
            checker.Leave(entered, worker: 1);
            lost.TrySetResult();
        });

        // A majority stops answering for longer than the TTL: extensions cannot be confirmed and the key expires.
        await bed.Nodes.Nodes[0].PauseAsync();
        await bed.Nodes.Nodes[1].PauseAsync();
        var next = contender.AcquireAsync(resource, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { MaxWait = TimeSpan.FromSeconds(15) });
        await Task.Delay(2000);
        await bed.Nodes.Nodes[0].ResumeAsync();
        await bed.Nodes.Nodes[1].ResumeAsync();

        await using var nextLease = await next;
        var nextEntered = checker.Enter();
        checker.Leave(nextEntered, worker: 2);

        Assert.True(lost.Task.IsCompleted, "the holder was not told it lost the lock before the next owner got it");
        Assert.True(lease.IsLost);
        Assert.Equal(0, checker.LiveOverlaps);
        Assert.Empty(checker.IntervalOverlaps());
        await lease.DisposeAsync();
        Assert.True((await bed.ValuesAsync(resource)).Count(v => v == nextLease.Token) >= 2, "the old holder's release must not touch the new owner's key");
    }
}
