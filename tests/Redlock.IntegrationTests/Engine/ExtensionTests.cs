using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class ExtensionTests
{
    internal static async Task<int> NodesWithTtlAbove(LockBed bed, string key, TimeSpan floor)
    {
        var count = 0;
        for (var i = 0; i < bed.Nodes.Nodes.Count; i++)
        {
            count += await (await bed.NodeAsync(i)).KeyTimeToLiveAsync(key) > floor ? 1 : 0;
        }

        return count;
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Manual_extension_updates_the_same_lease_and_the_keys(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("extend");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1));
        var before = lease.ValidUntil;

        await lease.ExtendAsync(TimeSpan.FromSeconds(30));

        Assert.True(lease.ValidUntil > before.AddSeconds(25), $"{before:O} -> {lease.ValidUntil:O}");
        Assert.Equal(TimeSpan.FromSeconds(30), lease.Ttl);
        await Eventually.TrueAsync(async () => await NodesWithTtlAbove(bed, resource, TimeSpan.FromSeconds(25)) >= 2, because: "a quorum of nodes should carry the new TTL");
        await lease.DisposeAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => lease.ExtendAsync());
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Extending_a_lock_whose_key_is_gone_reports_it_lost(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("gone");
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        var lost = lease.LostToken;

        await bed.HeldEverywhereAsync(resource, lease.Token);
        await (await bed.NodeAsync(0)).KeyDeleteAsync(resource);
        await (await bed.NodeAsync(1)).KeyDeleteAsync(resource);
        var error = await Assert.ThrowsAsync<RedlockLostException>(() => lease.ExtendAsync());

        Assert.True(lease.IsLost);
        Assert.True(lost.IsCancellationRequested);
        Assert.Contains("2 of 3", error.Message);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Automatic_extension_keeps_a_short_lock_alive_for_long_work(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var contender = bed.Engine(o => o.RetryCount = 0);
        var resource = Names.Unique("auto");

        // Work for three TTLs. The TTL is long enough that a loaded machine's late timers cannot let it run out between
        // extensions, which is what this test is not about (LeaseSafety covers a holder that stalls).
        var ttl = TimeSpan.FromSeconds(2);
        var lease = await engine.AcquireAsync(resource, ttl, new RedlockAcquireOptions { AutoExtend = true });
        var lost = lease.LostToken;
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(ttl / 2);
            Assert.Null(await contender.TryAcquireAsync(resource, TimeSpan.FromSeconds(1)));
        }

        Assert.False(lost.IsCancellationRequested);
        Assert.False(lease.IsLost);
        Assert.True((await bed.ValuesAsync(resource)).Count(v => v == lease.Token) >= 2);

        await lease.DisposeAsync();
        await bed.GoneEverywhereAsync(resource);

        // Extension stopped before the release: nothing brings the key back afterwards.
        await Task.Delay(400);
        Assert.All(await bed.ValuesAsync(resource), Assert.Null);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_maximum_hold_stops_extension_and_the_lock_is_then_lost(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("maxhold");
        var clock = Stopwatch.StartNew();

        // Extensions run every TTL/3: one would have to be more than a second late to lose the lease before MaxHold.
        var maxHold = TimeSpan.FromSeconds(3);
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(2),
            new RedlockAcquireOptions { AutoExtend = true, MaxHold = maxHold });
        var lostAt = new TaskCompletionSource<TimeSpan>();
        lease.LostToken.Register(() => lostAt.TrySetResult(clock.Elapsed));

        var lost = await lostAt.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(lost >= maxHold, $"lost after {lost.TotalMilliseconds} ms, before the maximum hold");
        Assert.True(lease.IsLost);
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource)).All(v => v is null));
        await using var next = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1));
    }
}
