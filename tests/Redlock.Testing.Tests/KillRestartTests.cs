using System.Diagnostics;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.Testing.Tests;

public sealed class KillRestartTests
{
    [Theory]
    [MemberData(nameof(TestBackends.AllWithAndWithoutProxy), MemberType = typeof(TestBackends))]
    public async Task Killing_a_node_drops_connections_refuses_new_ones_and_commands_fail(RedisBackend backend, bool faultProxy)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, new RedisTestNodesOptions { FaultProxy = faultProxy });
        var node = nodes.Nodes[0];
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        var db = client.GetDatabase();
        await db.StringSetAsync("k", "v");
        using var raw = await TestClients.OpenRawAsync(node.ConnectionString);
        Assert.Equal("+PONG", await TestClients.PingRawAsync(raw));

        await node.KillAsync();

        Assert.False(node.IsRunning);
        Assert.True(await TestClients.IsDroppedAsync(raw, TimeSpan.FromSeconds(5)), "An open connection survived the kill.");
        Assert.False(await TestClients.CanConnectAsync(node.ConnectionString), "The killed node still accepts connections.");
        Assert.False(await TestClients.CanConnectAsync(node.DirectConnectionString), "The killed server still accepts connections.");
        var failure = await Record.ExceptionAsync(() => db.StringGetAsync("k"));
        Assert.True(failure is RedisConnectionException or RedisTimeoutException, $"Expected a connection failure, got {failure?.GetType().Name ?? "success"}.");
    }

    [Theory]
    [MemberData(nameof(TestBackends.AllWithAndWithoutProxy), MemberType = typeof(TestBackends))]
    public async Task Restarting_brings_the_node_back_empty_on_the_same_connection_string(RedisBackend backend, bool faultProxy)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, new RedisTestNodesOptions { FaultProxy = faultProxy });
        var node = nodes.Nodes[0];
        var connectionString = node.ConnectionString;
        await using (var before = await TestClients.ConnectAsync(connectionString))
        {
            await before.GetDatabase().StringSetAsync("k", "v");
        }

        await node.KillAsync();
        await node.RestartAsync();

        Assert.True(node.IsRunning);
        Assert.Equal(connectionString, node.ConnectionString);
        await using var after = await TestClients.ConnectAsync(connectionString);
        var db = after.GetDatabase();
        Assert.False(await db.KeyExistsAsync("k"), "A restarted node must come back empty.");
        Assert.True(await db.StringSetAsync("k2", "v2"));
        Assert.Equal("v2", (string?)await db.StringGetAsync("k2"));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Restarting_waits_out_the_restart_delay_counted_from_the_kill(RedisBackend backend)
    {
        var delay = TimeSpan.FromMilliseconds(700);
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, new RedisTestNodesOptions { RestartDelay = delay });
        var node = nodes.Nodes[0];
        Assert.Equal(delay, nodes.RestartDelay);

        await node.KillAsync();
        var sinceKill = Stopwatch.StartNew();
        await node.RestartAsync();
        sinceKill.Stop();

        Assert.True(node.IsRunning);
        Assert.True(sinceKill.Elapsed >= delay - TimeSpan.FromMilliseconds(5), $"Restarted {sinceKill.Elapsed.TotalMilliseconds:0} ms after the kill; the delay is {delay.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task Restarting_uses_the_groups_current_restart_delay()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1);
        var node = nodes.Nodes[0];
        await node.KillAsync();

        nodes.RestartDelay = TimeSpan.FromMilliseconds(500);
        var sinceKill = Stopwatch.StartNew();
        await node.RestartAsync();

        Assert.True(sinceKill.Elapsed >= TimeSpan.FromMilliseconds(495), $"Restarted after {sinceKill.Elapsed.TotalMilliseconds:0} ms.");
        Assert.Throws<ArgumentOutOfRangeException>(() => nodes.RestartDelay = TimeSpan.FromSeconds(-1));
    }

    [Fact]
    public async Task A_restart_cancelled_during_the_delay_leaves_the_node_down()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { RestartDelay = TimeSpan.FromSeconds(30) });
        var node = nodes.Nodes[0];
        await node.KillAsync();

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => node.RestartAsync(cancel.Token));

        Assert.False(node.IsRunning);
        Assert.False(await TestClients.CanConnectAsync(node.ConnectionString));

        nodes.RestartDelay = TimeSpan.Zero;
        await node.RestartAsync();
        Assert.True(node.IsRunning);
    }

    [Fact]
    public async Task Restarting_a_running_node_throws_and_killing_twice_is_harmless()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1);
        var node = nodes.Nodes[0];

        await Assert.ThrowsAsync<InvalidOperationException>(() => node.RestartAsync());

        await node.KillAsync();
        await node.KillAsync();
        Assert.False(node.IsRunning);
    }

    [Fact]
    public async Task Killing_a_node_only_affects_that_node()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3);

        await nodes.Nodes[1].KillAsync();

        Assert.True(nodes.Nodes[0].IsRunning);
        Assert.False(nodes.Nodes[1].IsRunning);
        Assert.True(nodes.Nodes[2].IsRunning);
        await using var client = await TestClients.ConnectAsync(nodes.ConnectionStrings[2]);
        Assert.True(await client.GetDatabase().StringSetAsync("k", "v"));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Killing_a_node_frees_the_server_port_and_ends_the_process(RedisBackend backend)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1);
        var node = nodes.Nodes[0];
        var port = TestClients.Parse(node.DirectConnectionString).Port;
        var pid = node.ProcessId;
        if (backend == RedisBackend.RedisServer)
        {
            Assert.NotNull(pid);
            Assert.True(ProcessProbe.Exists(pid.Value));
        }
        else
        {
            Assert.Null(pid);
        }

        await node.KillAsync();

        Assert.Null(node.ProcessId);
        Assert.True(TestClients.CanBind(port), $"Port {port} is still held after the kill.");
        if (pid is { } killed)
        {
            Assert.False(ProcessProbe.Exists(killed), $"redis-server {killed} survived the kill.");
        }

        await node.RestartAsync();
        Assert.Equal(backend == RedisBackend.RedisServer, node.ProcessId is not null);
        Assert.NotEqual(pid ?? -1, node.ProcessId ?? -2);
    }

    [Fact]
    public async Task Restarting_after_redis_server_dies_on_its_own_brings_it_back()
    {
        // redis-server only: an in-process Garnet cannot die apart from this process. Where redis-server is missing
        // this checks that the run did not require it (TestBackends fails the other theories loudly in that case).
        if (!AvailableBackends.All.Contains(RedisBackend.RedisServer))
        {
            Assert.False(AvailableBackends.RedisRequired);
            return;
        }

        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.RedisServer, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];
        using (var process = Process.GetProcessById(node.ProcessId!.Value))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var deadline = Stopwatch.StartNew();
        while (node.IsRunning && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        Assert.False(node.IsRunning, "A redis-server that died should count as down.");
        await node.RestartAsync();
        Assert.True(node.IsRunning);
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        Assert.True(await client.GetDatabase().StringSetAsync("k", "v"));
    }
}
