using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Inspection;

/// <summary><see cref="IRedlock.InspectAsync"/> on real nodes: free, held (with a holder description), split, and a node down.</summary>
public class InspectionTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_free_key_is_free_on_every_node(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();

        var inspection = await engine.InspectAsync(Names.Unique("free"));

        Assert.True(inspection.IsFree);
        Assert.False(inspection.IsHeld);
        Assert.Null(inspection.Token);
        Assert.Null(inspection.Holder);
        Assert.Null(inspection.RemainingTtl);
        Assert.Equal(2, inspection.Quorum);
        Assert.Equal(3, inspection.Nodes.Count);
        Assert.All(inspection.Nodes, n => Assert.Equal(RedlockInspectionState.Free, n.State));
        Assert.Equal(bed.Nodes.ConnectionStrings.Select(c => c.Split(',')[0]), inspection.Nodes.Select(n => n.Node));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_held_key_shows_the_quorum_holder_its_life_and_its_description(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holder = bed.Engine(o => o.HolderName = "billing-worker");
        var observer = bed.Engine();
        var resource = Names.Unique("held");
        await using var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(30));
        await bed.HeldEverywhereAsync(resource, lease.Token);

        var inspection = await observer.InspectAsync(resource);

        Assert.True(inspection.IsHeld, inspection.ToString());
        Assert.False(inspection.IsFree);
        Assert.Equal(lease.Token, inspection.Token);
        Assert.NotNull(inspection.Holder);
        Assert.Equal("billing-worker", inspection.Holder!.Name);
        Assert.Equal(Environment.MachineName, inspection.Holder.Host);
        Assert.Equal(Environment.ProcessId, inspection.Holder.ProcessId);
        Assert.NotNull(inspection.Holder.AcquiredAt);
        Assert.InRange(inspection.Holder.AcquiredAt!.Value, lease.AcquiredAt.AddMinutes(-1), lease.AcquiredAt.AddMinutes(1));
        Assert.NotNull(inspection.RemainingTtl);
        Assert.InRange(inspection.RemainingTtl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
        Assert.All(inspection.Nodes, n =>
        {
            Assert.Equal(RedlockInspectionState.Held, n.State);
            Assert.Equal(lease.Token, n.Token);
            Assert.Equal("billing-worker", n.Holder?.Name);
            Assert.InRange(n.RemainingTtl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
        });
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_description_leaves_the_lock_key_as_node_redlock_writes_it_and_lives_and_dies_with_the_lock(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.HolderName = "reports");
        var resource = Names.Unique("wire");
        var holderKey = "{" + resource + "}:redlock-holder";
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(15));
        await bed.HeldEverywhereAsync(resource, lease.Token);

        for (var i = 0; i < 3; i++)
        {
            var node = await bed.NodeAsync(i);
            // The lock key is exactly what node redlock writes: the token as a plain string value, with an expiry.
            Assert.Equal(RedisType.String, await node.KeyTypeAsync(resource));
            Assert.Equal(lease.Token, (string?)await node.StringGetAsync(resource));
            Assert.Contains(lease.Token, (string?)await node.StringGetAsync(holderKey));
            Assert.NotNull(await node.KeyTimeToLiveAsync(holderKey));
        }

        // Extension keeps the description as long as the lock.
        await lease.ExtendAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(
            async () =>
            {
                for (var i = 0; i < 3; i++)
                {
                    if (await (await bed.NodeAsync(i)).KeyTimeToLiveAsync(holderKey) is not { } life || life < TimeSpan.FromSeconds(20))
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(5),
            "the extension did not extend the holder key on every node");

        // Release removes it with the lock.
        await lease.ReleaseAsync();
        await bed.GoneEverywhereAsync(resource);
        await bed.GoneEverywhereAsync(holderKey);
        Assert.True((await engine.InspectAsync(resource)).IsFree);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Without_a_holder_name_nothing_but_the_lock_key_is_written(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("plain");
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(30));
        await bed.HeldEverywhereAsync(resource, lease.Token);

        var inspection = await engine.InspectAsync(resource);

        Assert.Equal(lease.Token, inspection.Token);
        Assert.Null(inspection.Holder);
        Assert.All(await bed.ValuesAsync("{" + resource + "}:redlock-holder"), Assert.Null);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Nodes_that_disagree_are_reported_as_they_are(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var split = Names.Unique("split");
        var majority = Names.Unique("majority");
        for (var i = 0; i < 3; i++)
        {
            var node = await bed.NodeAsync(i);
            Assert.True(await node.StringSetAsync(split, "token-" + i, TimeSpan.FromSeconds(30)));
            Assert.True(await node.StringSetAsync(majority, i == 2 ? "other" : "winner", TimeSpan.FromSeconds(30)));
        }

        var three = await engine.InspectAsync(split);
        var two = await engine.InspectAsync(majority);

        Assert.False(three.IsHeld, three.ToString());
        Assert.False(three.IsFree);
        Assert.Null(three.Token);
        Assert.Equal(["token-0", "token-1", "token-2"], three.Nodes.Select(n => n.Token));
        Assert.All(three.Nodes, n => Assert.Equal(RedlockInspectionState.Held, n.State));

        Assert.True(two.IsHeld, two.ToString());
        Assert.Equal("winner", two.Token);
        Assert.Equal("other", two.Nodes[2].Token);
        Assert.Null(two.Holder);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_node_down_is_a_state_and_the_other_two_still_decide(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.HolderName = "survivor");
        var held = Names.Unique("down-held");
        await using var lease = await engine.AcquireAsync(held, TimeSpan.FromSeconds(30));
        await bed.HeldEverywhereAsync(held, lease.Token);

        await bed.Nodes.Nodes[2].KillAsync();
        var inspection = await engine.InspectAsync(held);
        var free = await engine.InspectAsync(Names.Unique("down-free"));

        Assert.False(inspection.Nodes[2].Answered, inspection.ToString());
        Assert.Contains(inspection.Nodes[2].State, new[] { RedlockInspectionState.Unreachable, RedlockInspectionState.TimedOut, RedlockInspectionState.Error });
        Assert.NotNull(inspection.Nodes[2].Detail);
        Assert.Null(inspection.Nodes[2].Token);
        Assert.True(inspection.IsHeld);
        Assert.Equal(lease.Token, inspection.Token);
        Assert.Equal("survivor", inspection.Holder?.Name);

        Assert.False(free.Nodes[2].Answered);
        Assert.True(free.IsFree);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_described_lock_still_excludes_others_fences_and_covers_several_resources(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.HolderName = "batch");
        var other = bed.Engine(o => o.RetryCount = 0);
        var a = Names.Unique("multi-a");
        var b = Names.Unique("multi-b");

        var fenced = await engine.AcquireAsync(a, TimeSpan.FromSeconds(30), new RedlockAcquireOptions { Fencing = true });
        Assert.NotNull(fenced.FencingToken);
        Assert.Equal("batch", (await other.InspectAsync(a)).Holder?.Name);
        Assert.Null(await other.TryAcquireAsync(a, TimeSpan.FromSeconds(1)));
        await fenced.ReleaseAsync();
        await bed.GoneEverywhereAsync("{" + a + "}:redlock-holder");

        var both = await engine.AcquireAsync([a, b], TimeSpan.FromSeconds(30));
        await bed.HeldEverywhereAsync(b, both.Token);
        Assert.Equal("batch", (await other.InspectAsync(a)).Holder?.Name);
        Assert.Equal("batch", (await other.InspectAsync(b)).Holder?.Name);
        Assert.Null(await other.TryAcquireAsync(b, TimeSpan.FromSeconds(1)));
        await both.ReleaseAsync();
        await bed.GoneEverywhereAsync("{" + a + "}:redlock-holder");
        await bed.GoneEverywhereAsync("{" + b + "}:redlock-holder");
        await bed.GoneEverywhereAsync(b);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_failed_attempt_removes_the_description_it_wrote(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o =>
        {
            o.HolderName = "loser";
            o.RetryCount = 0;
        });
        var resource = Names.Unique("undo");

        // Two of three nodes are taken by someone else: our attempt wins only node 2, and must undo it there.
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await (await bed.NodeAsync(i)).StringSetAsync(resource, "someone-else", TimeSpan.FromSeconds(30)));
        }

        Assert.Null(await engine.TryAcquireAsync(resource, TimeSpan.FromSeconds(5)));

        await Eventually.TrueAsync(
            async () => (await bed.ValuesAsync(resource))[2] is null && (await bed.ValuesAsync("{" + resource + "}:redlock-holder"))[2] is null,
            TimeSpan.FromSeconds(5),
            "the failed attempt's lock key or description stayed on node 2");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_released_lock_under_a_minimum_hold_keeps_its_description_until_the_hold_ends(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.HolderName = "digest-job");
        var resource = Names.Unique("minhold");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(2), new RedlockAcquireOptions { MinHold = TimeSpan.FromSeconds(60) });
        await bed.HeldEverywhereAsync(resource, lease.Token);

        await lease.ReleaseAsync();
        var inspection = await engine.InspectAsync(resource);

        Assert.Equal(lease.Token, inspection.Token);
        Assert.Equal("digest-job", inspection.Holder?.Name);
        Assert.InRange(inspection.RemainingTtl!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
        var holderLife = await (await bed.NodeAsync(0)).KeyTimeToLiveAsync("{" + resource + "}:redlock-holder");
        Assert.InRange(holderLife!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
    }
}
