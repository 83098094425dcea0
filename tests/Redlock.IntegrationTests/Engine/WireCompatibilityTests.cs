using System.Security.Cryptography;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Engine;

/// <summary>
/// What the node <c>redlock</c> package does on the wire: key = resource, value = random hex, SET NX PX, and a
/// compare-and-delete release. These tests play that client by hand against the same nodes as our engine.
/// </summary>
public class WireCompatibilityTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lock_held_by_a_node_redlock_client_excludes_ours(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.RetryCount = 0);
        var resource = "locks:account:" + RandomNumberGenerator.GetInt32(int.MaxValue);
        var theirToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var nodes = new List<IDatabase>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(await bed.NodeAsync(i));
        }

        foreach (var node in nodes)
        {
            Assert.True(await node.StringSetAsync(resource, theirToken, TimeSpan.FromSeconds(10), When.NotExists));
        }

        Assert.Null(await engine.TryAcquireAsync(resource, TimeSpan.FromSeconds(1)));

        foreach (var node in nodes)
        {
            Assert.Equal(1, (long)await node.ScriptEvaluateAsync(NodeRedlockWire.Release, [resource], [theirToken]));
        }

        await using var ours = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1));
        Assert.Matches("^[0-9a-f]{32}$", ours.Token);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Our_lock_excludes_a_node_redlock_client_and_its_release_cannot_delete_ours(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = "locks:job:" + RandomNumberGenerator.GetInt32(int.MaxValue);
        await using var ours = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        await bed.HeldEverywhereAsync(resource, ours.Token);

        for (var i = 0; i < 3; i++)
        {
            var node = await bed.NodeAsync(i);
            Assert.False(await node.StringSetAsync(resource, "someone-else", TimeSpan.FromSeconds(10), When.NotExists));
            Assert.Equal(0, (long)await node.ScriptEvaluateAsync(NodeRedlockWire.Release, [resource], ["someone-else"]));
            Assert.Equal(ours.Token, (string?)await node.StringGetAsync(resource));
        }
    }
}
