using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.Testing.Tests;

public sealed class ProxyIntegrityTests
{
    [Fact]
    public async Task The_fault_proxy_under_latency_and_pause_neither_loses_nor_reorders_bytes()
    {
        const int Commands = 2000;
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        var db = client.GetDatabase();
        node.Latency = TimeSpan.FromMilliseconds(5);

        // Pipelined: replies are matched to commands purely by order, so any reordering or loss shows up.
        var pushes = new List<Task<long>>();
        for (var i = 0; i < Commands; i++)
        {
            pushes.Add(db.ListRightPushAsync("sequence", i));
            if (i == Commands / 3)
            {
                await node.PauseAsync(PauseMode.Proxy);
            }
            else if (i == Commands * 2 / 3)
            {
                node.Latency = TimeSpan.FromMilliseconds(1);
                await node.ResumeAsync();
            }
        }

        var lengths = await Task.WhenAll(pushes).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(1, Commands).Select(i => (long)i), lengths);
        var stored = await db.ListRangeAsync("sequence");
        Assert.Equal(Enumerable.Range(0, Commands), stored.Select(v => (int)v));

        // A value far larger than one relay chunk, with every byte value in it.
        var big = new byte[3 * 1024 * 1024 + 7];
        new Random(42).NextBytes(big);
        await db.StringSetAsync("big", big);
        byte[]? back = await db.StringGetAsync("big");
        Assert.Equal(big, back);
    }
}
