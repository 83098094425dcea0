using System.Diagnostics;
using RedlockAspects.Testing;

namespace RedlockAspects.Testing.Tests;

public sealed class PauseTests
{
    private static readonly TimeSpan HangCheck = TimeSpan.FromMilliseconds(400);

    [Theory]
    [MemberData(nameof(TestBackends.SupportedPauses), MemberType = typeof(TestBackends))]
    public async Task While_paused_commands_hang_until_resume_then_complete(RedisBackend backend, PauseMode mode)
    {
        var options = new RedisTestNodesOptions
        {
            FaultProxy = AvailableBackends.NeedsProxy(backend, mode),
            ClientPauseDuration = TimeSpan.FromSeconds(3),
        };
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, options);
        var node = nodes.Nodes[0];
        await using var client = await TestClients.ConnectAsync(node.ConnectionString);
        var db = client.GetDatabase();
        await db.StringSetAsync("k", "before");

        // Timed from before the pause, so that a CLIENT PAUSE certainly lasts until this clock reads its duration.
        var pausing = Stopwatch.StartNew();
        await node.PauseAsync(mode);
        Assert.True(node.IsPaused);
        var write = db.StringSetAsync("k", "during");
        var read = db.StringGetAsync("k");
        var writeAnsweredAt = write.ContinueWith(_ => pausing.Elapsed, TaskScheduler.Default);
        var readAnsweredAt = read.ContinueWith(_ => pausing.Elapsed, TaskScheduler.Default);

        // A CLIENT PAUSE ends by itself after its duration; on a loaded machine that can come before the hang check
        // ends, and an answer after it has not broken the pause. Any answer before it (or, for the other modes, before
        // the resume) has.
        bool AnsweredWhilePaused(TimeSpan at) => mode != PauseMode.ClientPause || at < options.ClientPauseDuration;
        await Task.WhenAny(write, read, Task.Delay(HangCheck));
        Assert.True(node.IsRunning);
        if (write.IsCompleted)
        {
            Assert.False(AnsweredWhilePaused(await writeAnsweredAt), $"The write completed while the node was paused ({(await writeAnsweredAt).TotalMilliseconds:0} ms after pausing).");
        }

        if (read.IsCompleted)
        {
            Assert.False(AnsweredWhilePaused(await readAnsweredAt), $"The read completed while the node was paused ({(await readAnsweredAt).TotalMilliseconds:0} ms after pausing).");
        }

        await node.ResumeAsync();

        Assert.False(node.IsPaused);
        Assert.True(await write.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("during", (string?)await read.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("during", (string?)await db.StringGetAsync("k"));
    }

    [Fact]
    public async Task A_proxy_pause_holds_clients_but_not_admin_connections()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];
        await using var admin = await node.ConnectAsync();
        using var raw = await TestClients.OpenRawAsync(node.ConnectionString);

        await node.PauseAsync(PauseMode.Proxy);
        var ping = TestClients.PingRawAsync(raw);

        Assert.True(await admin.GetDatabase().StringSetAsync("k", "v").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.NotSame(ping, await Task.WhenAny(ping, Task.Delay(HangCheck)));
        await node.ResumeAsync();
        Assert.Equal("+PONG", await ping);
    }

    [Theory]
    [InlineData(PauseMode.Signal, true)]
    [InlineData(PauseMode.ClientPause, true)]
    [InlineData(PauseMode.Default, false)]
    [InlineData(PauseMode.Proxy, false)]
    public async Task Pause_modes_Garnet_does_not_support_throw_NotSupportedException(PauseMode mode, bool faultProxy)
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 1, new RedisTestNodesOptions { FaultProxy = faultProxy });
        var node = nodes.Nodes[0];

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => node.PauseAsync(mode));

        Assert.False(node.IsPaused);
        Assert.Contains(mode is PauseMode.ClientPause ? "CLIENT PAUSE" : mode is PauseMode.Signal ? "SIGSTOP" : "FaultProxy", error.Message);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_proxy_pause_without_the_fault_proxy_throws_NotSupportedException(RedisBackend backend)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => nodes.Nodes[0].PauseAsync(PauseMode.Proxy));

        Assert.Contains("FaultProxy = true", error.Message);
    }

    [Fact]
    public async Task Pausing_a_killed_node_throws_and_a_kill_ends_a_pause()
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
        Assert.True(await client.GetDatabase().StringSetAsync("k", "v").WaitAsync(TimeSpan.FromSeconds(30)), "A restarted node must not be paused.");
    }
}
