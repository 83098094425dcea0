using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class LostLockTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task LostToken_fires_from_an_extension_long_before_validity_runs_out_when_the_key_is_deleted_on_a_majority(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("lost");
        var period = TimeSpan.FromMilliseconds(500);

        // A 20 s TTL: validity alone would keep the lease "valid" for ~20 s, so firing with most of it left proves that
        // an extension noticed the loss (and leaves a loaded machine plenty of room for the timers).
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(20),
            new RedlockAcquireOptions { AutoExtend = true, ExtendInterval = period });
        var fired = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.LostToken.Register(() => fired.TrySetResult(lease.RemainingValidity));
        var node0 = await bed.NodeAsync(0);
        var node2 = await bed.NodeAsync(2);

        await bed.HeldEverywhereAsync(resource, lease.Token);
        await node0.KeyDeleteAsync(resource);
        await node2.KeyDeleteAsync(resource);
        var leftWhenFired = await fired.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(leftWhenFired > TimeSpan.FromSeconds(5), $"LostToken fired with {leftWhenFired.TotalMilliseconds:0} ms of validity left: the extension did not notice");
        Assert.True(lease.IsLost);
        Assert.Contains("gone", lease.LostReason);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Without_extension_LostToken_fires_when_validity_runs_out_before_anyone_else_can_lock(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);

        // The drift allowance (400 ms here) is the margin between "validity ran out" and "the key expired"; it has to
        // cover a loaded machine's late timer, which fires LostToken.
        var holder = bed.Engine(o => o.DriftFactor = 0.4);
        var contender = bed.Engine(o =>
        {
            o.RetryCount = -1;
            o.RetryDelay = TimeSpan.FromMilliseconds(2);
            o.RetryJitter = TimeSpan.FromMilliseconds(2);
        });
        var resource = Names.Unique("expire");

        // The holder stalls past its TTL (a paused process): it must be told before the next owner gets in.
        var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(1));
        long lostAt = 0;
        lease.LostToken.Register(() => Volatile.Write(ref lostAt, Stopwatch.GetTimestamp()));
        await using var next = await contender.AcquireAsync(resource, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { MaxWait = TimeSpan.FromSeconds(5) });
        var acquiredAt = Stopwatch.GetTimestamp();

        Assert.NotEqual(0, Volatile.Read(ref lostAt));
        Assert.True(Volatile.Read(ref lostAt) < acquiredAt, "the stalled holder learned of the loss only after the next owner had the lock");
        Assert.True(lease.IsLost);
        await Assert.ThrowsAsync<RedlockLostException>(() => lease.ExtendAsync());
        await lease.DisposeAsync();
        Assert.True((await bed.ValuesAsync(resource)).Count(v => v == next.Token) >= 2, "the stale release must not delete the new owner's key");
    }
}
