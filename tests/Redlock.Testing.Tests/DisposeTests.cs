using RedlockAspects.Testing;

namespace RedlockAspects.Testing.Tests;

public sealed class DisposeTests
{
    [Theory]
    [MemberData(nameof(TestBackends.AllWithAndWithoutProxy), MemberType = typeof(TestBackends))]
    public async Task Disposing_the_nodes_frees_every_port_and_kills_every_process(RedisBackend backend, bool faultProxy)
    {
        var nodes = await RedisTestNodes.StartAsync(backend, 2, new RedisTestNodesOptions { FaultProxy = faultProxy });
        var ports = nodes.Nodes
            .SelectMany(n => new[] { n.ConnectionString, n.DirectConnectionString })
            .Select(s => TestClients.Parse(s).Port)
            .Distinct()
            .ToArray();
        var pids = nodes.Nodes.Select(n => n.ProcessId).OfType<int>().ToArray();
        Assert.Equal(backend == RedisBackend.RedisServer ? 2 : 0, pids.Length);
        Assert.All(pids, pid => Assert.True(ProcessProbe.Exists(pid)));
        Assert.All(ports, port => Assert.False(TestClients.CanBind(port), $"Port {port} should be in use while the nodes run."));

        // Leave one node paused: dispose must still take everything down.
        if (faultProxy || backend == RedisBackend.RedisServer)
        {
            await nodes.Nodes[0].PauseAsync();
        }

        await nodes.DisposeAsync();

        Assert.All(ports, port => Assert.True(TestClients.CanBind(port), $"Port {port} is still held after dispose."));
        Assert.All(pids, pid => Assert.False(ProcessProbe.Exists(pid), $"redis-server {pid} survived dispose."));
        Assert.All(nodes.Nodes, n => Assert.False(n.IsRunning));
    }

    [Fact]
    public async Task Disposing_twice_is_harmless_and_later_operations_throw_ObjectDisposedException()
    {
        var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1);
        var node = nodes.Nodes[0];

        await nodes.DisposeAsync();
        await nodes.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => node.KillAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => node.RestartAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => node.ConnectAsync());
    }

    [Fact]
    public async Task Disposing_during_a_restart_delay_ends_the_wait()
    {
        var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { RestartDelay = TimeSpan.FromSeconds(60) });
        var node = nodes.Nodes[0];
        await node.KillAsync();
        var restart = node.RestartAsync();

        await nodes.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => restart.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(node.IsRunning);
    }
}
