using System.Diagnostics;
using RedlockAspects.Testing;

namespace RedlockAspects.Testing.Tests;

public sealed class LatencyTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Latency_delays_each_direction_of_a_round_trip(RedisBackend backend)
    {
        var latency = TimeSpan.FromSeconds(1); // long enough that a loaded machine cannot make a plain round trip look as slow
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        var db = client.GetDatabase();
        await db.StringSetAsync("k", "v");

        node.Latency = latency;
        Assert.Equal(latency, node.Latency);
        var slow = Stopwatch.StartNew();
        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
        slow.Stop();

        node.Latency = TimeSpan.Zero;
        var fast = Stopwatch.StartNew();
        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
        fast.Stop();

        Assert.True(slow.Elapsed >= 2 * latency, $"Round trip took {slow.Elapsed.TotalMilliseconds:0} ms with {latency.TotalMilliseconds:0} ms each way.");
        Assert.True(slow.Elapsed < TimeSpan.FromSeconds(10), $"Round trip took {slow.Elapsed.TotalMilliseconds:0} ms.");

        // With the latency still applied, the round trip would take at least twice it.
        Assert.True(fast.Elapsed < 2 * latency, $"With no latency the round trip still took {fast.Elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task Latency_without_the_fault_proxy_throws_NotSupportedException_but_zero_is_allowed()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1);
        var node = nodes.Nodes[0];

        Assert.Throws<NotSupportedException>(() => node.Latency = TimeSpan.FromMilliseconds(10));
        node.Latency = TimeSpan.Zero;
        Assert.Equal(TimeSpan.Zero, node.Latency);
    }

    [Fact]
    public async Task Latency_rejects_negative_values()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = true });

        Assert.Throws<ArgumentOutOfRangeException>(() => nodes.Nodes[0].Latency = TimeSpan.FromMilliseconds(-1));
    }
}
