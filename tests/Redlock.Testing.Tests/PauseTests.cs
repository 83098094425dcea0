using System.Diagnostics;
using RedlockAspects.Testing;

namespace RedlockAspects.Tests;

public sealed class PauseTests
{
    private static readonly TimeSpan HangCheck = TimeSpan.FromMilliseconds(400);

    [Theory]
    [MemberData(nameof(TestBackends.SupportedPauses), MemberType = typeof(TestBackends))]
    public async Task PauseAsync_CommandsHangUntilResume_ThenComplete(RedisBackend backend, PauseMode mode)
    {
        var options = new RedisTestNodesOptions
        {
            FaultProxy = TestBackends.NeedsProxy(backend, mode),
            ClientPauseDuration = TimeSpan.FromMilliseconds(1500),
        };
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, options);
        var node = nodes.Nodes[0];
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        var db = client.GetDatabase();
        await db.StringSetAsync("k", "before");

        await node.PauseAsync(mode);
        Assert.True(node.IsPaused);
        var sent = Stopwatch.StartNew();
        var write = db.StringSetAsync("k", "during");
        var read = db.StringGetAsync("k");
        var writeTook = write.ContinueWith(_ => sent.Elapsed, TaskScheduler.Default);

        var first = await Task.WhenAny(write, read, Task.Delay(HangCheck));
        Assert.False(first == write || first == read, "A command completed while the node was paused.");
        Assert.True(node.IsRunning);

        await node.ResumeAsync();

        Assert.False(node.IsPaused);
        Assert.True(await write.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("during", (string?)await read.WaitAsync(TimeSpan.FromSeconds(10)));

        // Timers may fire a few milliseconds early, hence the margin.
        Assert.True(await writeTook >= HangCheck - TimeSpan.FromMilliseconds(20), $"The write took only {(await writeTook).TotalMilliseconds:0} ms.");
        Assert.Equal("during", (string?)await db.StringGetAsync("k"));
    }

    [Fact]
    public async Task PauseAsync_Proxy_HoldsClientsButNotAdminConnections()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];
        await using var admin = await node.ConnectAsync();
        using var raw = await TestClients.OpenRawAsync(node.ConnectionString);

        await node.PauseAsync(PauseMode.Proxy);
        var ping = TestClients.PingRawAsync(raw);

        Assert.True(await admin.GetDatabase().StringSetAsync("k", "v").WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.NotSame(ping, await Task.WhenAny(ping, Task.Delay(HangCheck)));
        await node.ResumeAsync();
        Assert.Equal("+PONG", await ping);
    }

    [Theory]
    [InlineData(PauseMode.Signal, true)]
    [InlineData(PauseMode.ClientPause, true)]
    [InlineData(PauseMode.Default, false)]
    [InlineData(PauseMode.Proxy, false)]
    public async Task PauseAsync_Garnet_UnsupportedModes_ThrowNotSupported(PauseMode mode, bool faultProxy)
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = faultProxy });
        var node = nodes.Nodes[0];

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => node.PauseAsync(mode));

        Assert.False(node.IsPaused);
        Assert.Contains(mode is PauseMode.ClientPause ? "CLIENT PAUSE" : mode is PauseMode.Signal ? "SIGSTOP" : "FaultProxy", error.Message);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task PauseAsync_ProxyModeWithoutFaultProxy_ThrowsNotSupported(RedisBackend backend)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => nodes.Nodes[0].PauseAsync(PauseMode.Proxy));

        Assert.Contains("FaultProxy = true", error.Message);
    }

    [Fact]
    public async Task PauseAsync_OnAKilledNode_Throws_AndKillEndsAPause()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];
        await node.PauseAsync();
        Assert.True(node.IsPaused);

        await node.KillAsync();

        Assert.False(node.IsPaused);
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.PauseAsync());
        await node.RestartAsync();
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        Assert.True(await client.GetDatabase().StringSetAsync("k", "v").WaitAsync(TimeSpan.FromSeconds(5)), "A restarted node must not be paused.");
    }
}
