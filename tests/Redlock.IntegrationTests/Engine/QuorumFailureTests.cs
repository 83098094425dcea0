using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class QuorumFailureTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task With_a_minority_of_nodes_down_the_lock_still_works(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        await bed.Nodes.Nodes[2].KillAsync();
        var resource = Names.Unique("minority");

        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));
        var values = await bed.ValuesAsync(resource);

        Assert.Equal(lease.Token, values[0]);
        Assert.Equal(lease.Token, values[1]);
        // Reentrancy off: within this flow the acquisition would otherwise share the held lease.
        Assert.Null(await engine.TryAcquireAsync(resource, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { RetryCount = 0, Reentrant = false }));
        await lease.DisposeAsync();
        await bed.GoneEverywhereAsync(resource);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task With_a_majority_down_acquisition_fails_with_no_quorum_naming_the_nodes(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.RetryCount = 2);
        await bed.Nodes.Nodes[0].KillAsync();
        await bed.Nodes.Nodes[2].KillAsync();
        var resource = Names.Unique("majority");

        var error = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(resource, TimeSpan.FromSeconds(5)));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(2, error.Quorum);
        Assert.Equal(resource, error.Resource);
        var down = new[] { bed.Nodes.Nodes[0].ConnectionString, bed.Nodes.Nodes[2].ConnectionString };
        foreach (var node in down)
        {
            var report = Assert.Single(error.Nodes, n => n.Node == node);
            Assert.Contains(report.State, new[] { RedlockNodeState.Unreachable, RedlockNodeState.TimedOut, RedlockNodeState.Error });
            Assert.Contains(node, error.Message);
        }

        // The one live node granted it (or had not answered when the two failures made a quorum impossible);
        // either way the failed attempt must not leave our key behind there.
        var live = Assert.Single(error.Nodes, n => n.Node == bed.Nodes.Nodes[1].ConnectionString);
        Assert.Contains(live.State, new[] { RedlockNodeState.Acquired, RedlockNodeState.Pending });
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource))[1] is null);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Busy_is_not_reported_as_no_quorum(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var holder = bed.Engine();
        var contender = bed.Engine(o => o.RetryCount = 0);
        var resource = Names.Unique("busy");
        await using var lease = await holder.AcquireAsync(resource, TimeSpan.FromSeconds(5));
        await bed.Nodes.Nodes[0].KillAsync();

        var error = await Assert.ThrowsAsync<RedlockBusyException>(() => contender.AcquireAsync(resource, TimeSpan.FromSeconds(5)));

        Assert.Equal(1, error.Attempts);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_restarted_node_rejoins_the_quorum(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        await bed.Nodes.Nodes[0].KillAsync();
        await bed.Nodes.Nodes[1].KillAsync();
        await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(Names.Unique("down"), TimeSpan.FromSeconds(1), new RedlockAcquireOptions { RetryCount = 0 }));

        await bed.Nodes.Nodes[0].RestartAsync();
        var resource = Names.Unique("back");
        var clock = Stopwatch.StartNew();
        RedlockLease? lease = null;
        while (lease is null && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { RetryCount = 0 });
            }
            catch (RedlockNoQuorumException)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(lease);
        Assert.Equal(lease!.Token, (await bed.ValuesAsync(resource))[0]);
        await lease.DisposeAsync();
    }
}
