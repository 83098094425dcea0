using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class MultiResourceTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Several_resources_are_locked_all_or_nothing(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.RetryCount = 0);
        var a = Names.Unique("a");
        var b = Names.Unique("b");
        // Another flow holds b: within this one, a request for [a, b] would be a partial overlap (refused at once).
        var other = await Task.Run(() => engine.AcquireAsync(b, TimeSpan.FromSeconds(10)));

        await Assert.ThrowsAsync<RedlockBusyException>(() => engine.AcquireAsync([a, b], TimeSpan.FromSeconds(10)));

        await bed.GoneEverywhereAsync(a);
        Assert.True(await bed.HoldersAsync(b, other.Token) >= 2);

        await other.ReleaseAsync();
        var both = await engine.AcquireAsync([a, b], TimeSpan.FromSeconds(10));
        Assert.Equal([a, b], both.Resources);
        Assert.True(await bed.HoldersAsync(a, both.Token) >= 2);
        Assert.True(await bed.HoldersAsync(b, both.Token) >= 2);
        Assert.Null(await engine.TryAcquireAsync(a, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { Reentrant = false }));

        await both.ExtendAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => await ExtensionTests.NodesWithTtlAbove(bed, b, TimeSpan.FromSeconds(25)) >= 2);
        await Eventually.TrueAsync(async () => await ExtensionTests.NodesWithTtlAbove(bed, a, TimeSpan.FromSeconds(25)) >= 2);

        await both.DisposeAsync();
        await bed.GoneEverywhereAsync(a);
        await bed.GoneEverywhereAsync(b);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Extending_several_resources_fails_if_any_one_is_gone(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var a = Names.Unique("a");
        var b = Names.Unique("b");
        await using var both = await engine.AcquireAsync([a, b], TimeSpan.FromSeconds(10));
        await bed.HeldEverywhereAsync(b, both.Token);
        for (var i = 0; i < 3; i++)
        {
            await (await bed.NodeAsync(i)).KeyDeleteAsync(b);
        }

        await Assert.ThrowsAsync<RedlockLostException>(() => both.ExtendAsync());

        // All or nothing: the surviving key was not extended either.
        Assert.True(await (await bed.NodeAsync(0)).KeyTimeToLiveAsync(a) <= TimeSpan.FromSeconds(10));
    }
}
