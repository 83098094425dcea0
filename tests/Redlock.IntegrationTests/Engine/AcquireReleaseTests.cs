using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class AcquireReleaseTests
{
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_lock_sets_the_token_on_a_quorum_and_release_deletes_it(RedisBackend backend, int nodeCount)
    {
        await using var bed = await LockBed.StartAsync(backend, nodeCount);
        var engine = bed.Engine();
        var resource = Names.Unique("account");

        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));

        Assert.Equal(resource, lease.Resource);
        Assert.Equal(nodeCount / 2 + 1, engine.Quorum);
        var held = await bed.ValuesAsync(resource);
        Assert.True(held.Count(v => v == lease.Token) >= engine.Quorum, string.Join(",", held));
        Assert.InRange(lease.RemainingValidity, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));
        Assert.False(lease.IsLost);

        await lease.DisposeAsync();

        Assert.True(lease.IsReleased);
        await bed.GoneEverywhereAsync(resource);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_held_lock_is_busy_for_everyone_else_until_released(RedisBackend backend, int nodeCount)
    {
        await using var bed = await LockBed.StartAsync(backend, nodeCount);
        var first = bed.Engine();
        var second = bed.Engine(o => o.RetryCount = 0);
        var resource = Names.Unique("job");

        var lease = await first.AcquireAsync(resource, TimeSpan.FromSeconds(5));

        Assert.Null(await second.TryAcquireAsync(resource, TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<RedlockBusyException>(() => second.AcquireAsync(resource, TimeSpan.FromSeconds(5)));

        await lease.ReleaseAsync();
        await using var next = await second.AcquireAsync(resource, TimeSpan.FromSeconds(5));
        Assert.NotEqual(lease.Token, next.Token);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Release_is_idempotent_and_never_deletes_someone_elses_key(RedisBackend backend, int nodeCount)
    {
        await using var bed = await LockBed.StartAsync(backend, nodeCount);
        var engine = bed.Engine();
        var resource = Names.Unique("r");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromMilliseconds(300));

        // Our key expires and another owner takes the resource; our late release must leave theirs alone.
        await Task.Delay(450);
        var other = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));
        await lease.ReleaseAsync();
        await lease.ReleaseAsync();
        await lease.DisposeAsync();

        var values = await bed.ValuesAsync(resource);
        Assert.True(values.Count(v => v == other.Token) >= engine.Quorum);
        await other.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_key_expires_with_its_ttl_when_not_released(RedisBackend backend, int nodeCount)
    {
        await using var bed = await LockBed.StartAsync(backend, nodeCount);
        var engine = bed.Engine();
        var resource = Names.Unique("ttl");

        // Long enough that the key is still there when a loaded machine gets round to reading its TTL.
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1));

        // An acquisition returns at a quorum: node 0's SET may land a moment later.
        await Eventually.TrueAsync(async () => await (await bed.NodeAsync(0)).KeyExistsAsync(resource));
        var ttl = await (await bed.NodeAsync(0)).KeyTimeToLiveAsync(resource);

        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        await Task.Delay(1200);
        await bed.GoneEverywhereAsync(resource);
        Assert.True(lease.IsLost);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_key_prefix_goes_before_the_resource_name(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 1);
        var engine = bed.Engine(o => o.KeyPrefix = "locks:");
        var resource = Names.Unique("p");

        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));

        Assert.Equal(lease.Token, (await bed.ValuesAsync("locks:" + resource))[0]);
        Assert.Null((await bed.ValuesAsync(resource))[0]);
    }

    public static TheoryData<RedisBackend, int> Cases
    {
        get
        {
            var data = new TheoryData<RedisBackend, int>();
            foreach (var backend in TestBackends.All)
            {
                data.Add(backend, 1);
                data.Add(backend, 3);
            }

            return data;
        }
    }
}
