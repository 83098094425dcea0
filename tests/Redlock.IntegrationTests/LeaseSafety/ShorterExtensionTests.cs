using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>
/// After any extension attempt, confirmed or not, a lease believes no more than the shortest life the keys may now have
/// (lease-safety defects 1, 2 and 12).
/// </summary>
public class ShorterExtensionTests
{
    private static readonly RedlockAcquireOptions WaitLong = new() { RetryCount = -1, MaxWait = TimeSpan.FromSeconds(10) };

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_shorter_extension_shortens_the_lease_at_once(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var first = bed.Engine();
        var second = bed.Engine();
        var resource = Names.Unique("shorter");
        await using var lease = await first.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        var lost = lease.LostToken;

        await lease.ExtendAsync(TimeSpan.FromMilliseconds(200));

        Assert.True(lease.RemainingValidity <= TimeSpan.FromMilliseconds(200), $"{lease.RemainingValidity.TotalMilliseconds} ms left after shortening to 200 ms");
        await using var next = await second.AcquireAsync(resource, TimeSpan.FromSeconds(5), WaitLong);

        // The second holder got in once the keys expired: by then the first must no longer believe it holds the lock.
        Assert.True(lease.IsLost, $"the first lease still believes, with {lease.RemainingValidity.TotalMilliseconds} ms left");
        Assert.True(lease.RemainingValidity <= TimeSpan.Zero);
        await Eventually.TrueAsync(() => Task.FromResult(lost.IsCancellationRequested), because: "LostToken should fire when the shortened validity runs out");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task An_unconfirmed_shorter_extension_still_shortens_the_lease(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var first = bed.Engine(o => o.NodeTimeout = TimeSpan.FromMilliseconds(100));
        var second = bed.Engine(o => o.NodeTimeout = TimeSpan.FromSeconds(2));
        var resource = Names.Unique("unconfirmed");
        await using var lease = await first.AcquireAsync(resource, TimeSpan.FromSeconds(10));

        // The extension reaches every node, but its answers arrive after the node timeout: not confirmed.
        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.FromMilliseconds(150);
        }

        await Assert.ThrowsAsync<RedlockNoQuorumException>(() => lease.ExtendAsync(TimeSpan.FromMilliseconds(300)));
        Assert.True(lease.RemainingValidity <= TimeSpan.FromMilliseconds(300), $"{lease.RemainingValidity.TotalMilliseconds} ms left after an unconfirmed shortening to 300 ms");

        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.Zero;
        }

        await using var next = await second.AcquireAsync(resource, TimeSpan.FromSeconds(5), WaitLong);
        Assert.True(lease.IsLost, $"the first lease still believes, with {lease.RemainingValidity.TotalMilliseconds} ms left");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Automatic_extension_follows_a_shorter_ttl(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var first = bed.Engine();
        var second = bed.Engine();
        var resource = Names.Unique("auto-shorter");
        await using var lease = await first.AcquireAsync(resource, TimeSpan.FromSeconds(30), new RedlockAcquireOptions { AutoExtend = true });

        // With the interval stuck at the old ttl/3 (10 s), a 2 s lock would expire before the first extension. (Seconds,
        // not milliseconds: a loaded machine can stall the extender for a few hundred.)
        await lease.ExtendAsync(TimeSpan.FromSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.False(lease.IsLost, lease.LostReason);
        Assert.Null(await second.TryAcquireAsync(resource, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { MaxWait = TimeSpan.Zero }));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task An_extend_interval_longer_than_the_ttl_does_not_lose_the_lease(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var first = bed.Engine();
        var second = bed.Engine();
        var resource = Names.Unique("long-interval");
        await using var lease = await first.AcquireAsync(resource, TimeSpan.FromSeconds(2),
            new RedlockAcquireOptions { AutoExtend = true, ExtendInterval = TimeSpan.FromSeconds(10) });

        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.False(lease.IsLost, lease.LostReason);
        Assert.Null(await second.TryAcquireAsync(resource, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { MaxWait = TimeSpan.Zero }));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_sub_millisecond_or_drift_sized_extension_is_refused_and_the_lock_stays(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("tiny-extend");
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        await bed.HeldEverywhereAsync(resource, lease.Token);

        Assert.Equal("ttl", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.ExtendAsync(TimeSpan.FromTicks(5_000)))).ParamName);
        Assert.Equal("ttl", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.ExtendAsync(TimeSpan.FromMilliseconds(2)))).ParamName);

        // PEXPIRE 0 would have deleted the keys while the lease stayed valid.
        Assert.Equal(3, await bed.HoldersAsync(resource, lease.Token));
        Assert.False(lease.IsLost);
        Assert.True(lease.RemainingValidity > TimeSpan.FromSeconds(5));
    }
}
