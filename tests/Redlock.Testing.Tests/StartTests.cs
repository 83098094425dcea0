using RedlockAspects.Testing;

namespace RedlockAspects.Testing.Tests;

public sealed class StartTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Starting_gives_independent_nodes_that_each_serve_set_and_get(RedisBackend backend)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 3);

        Assert.Equal(backend, nodes.Backend);
        Assert.Equal(3, nodes.Nodes.Count);
        Assert.Equal(3, nodes.ConnectionStrings.Distinct().Count());
        for (var i = 0; i < 3; i++)
        {
            var node = nodes.Nodes[i];
            Assert.Equal(i, node.Index);
            Assert.True(node.IsRunning);
            Assert.False(node.IsPaused);
            Assert.Equal(nodes.ConnectionStrings[i], node.ConnectionString);
            Assert.StartsWith("127.0.0.1:", node.ConnectionString);

            await using var client = await TestClients.ConnectAsync(node.ConnectionString);
            var db = client.GetDatabase();
            Assert.True(await db.StringSetAsync("greeting", $"hello from {i}"));
            Assert.Equal($"hello from {i}", (string?)await db.StringGetAsync("greeting"));
        }

        // Independent: each node kept its own value.
        await using var first = await nodes.Nodes[0].ConnectAsync();
        Assert.Equal("hello from 0", (string?)await first.GetDatabase().StringGetAsync("greeting"));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task With_the_fault_proxy_clients_go_through_the_proxy_port_and_admin_connections_go_direct(RedisBackend backend)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1, new RedisTestNodesOptions { FaultProxy = true });
        var node = nodes.Nodes[0];

        Assert.True(node.HasFaultProxy);
        Assert.NotEqual(node.DirectConnectionString, node.ConnectionString);

        await using var viaProxy = await TestClients.ConnectAsync(node.ConnectionString);
        await viaProxy.GetDatabase().StringSetAsync("k", "v");
        await using var direct = await node.ConnectAsync();
        Assert.Equal("v", (string?)await direct.GetDatabase().StringGetAsync("k"));
    }

    [Fact]
    public async Task The_created_Redlock_options_list_every_node_connection_string()
    {
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3);

        var options = nodes.CreateRedlockOptions();

        Assert.Equal(nodes.ConnectionStrings, options.Nodes);
        Assert.NotSame(options, nodes.CreateRedlockOptions());
        options.Validate();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Starting_rejects_a_count_below_one(int count)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RedisTestNodes.StartAsync(RedisBackend.Garnet, count));
    }

    [Fact]
    public async Task A_redis_server_at_a_missing_path_fails_with_a_clear_message()
    {
        var options = new RedisTestNodesOptions { RedisServerPath = "/nonexistent/redis-server" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisTestNodes.StartAsync(RedisBackend.RedisServer, 1, options));

        Assert.Contains("redis-server was not found", error.Message);
        Assert.Contains("/nonexistent/redis-server", error.Message);
    }

    [Fact]
    public void Redis_server_is_not_available_for_a_missing_executable()
    {
        Assert.False(RedisTestNodes.IsRedisServerAvailable("/nonexistent/redis-server"));
        Assert.False(RedisTestNodes.IsRedisServerAvailable("no-such-redis-server-on-path"));
    }

    [Fact]
    public void Redis_server_is_installed_when_the_run_requires_it()
    {
        // CI sets REDLOCK_REQUIRE_REDIS=1; there, running on Garnet alone would hide a broken install.
        if (AvailableBackends.RedisRequired)
        {
            Assert.True(RedisTestNodes.IsRedisServerAvailable(), "REDLOCK_REQUIRE_REDIS=1 but redis-server was not found.");
        }

        Assert.Contains(RedisBackend.Garnet, AvailableBackends.All);
        Assert.Equal(RedisTestNodes.IsRedisServerAvailable(), AvailableBackends.All.Contains(RedisBackend.RedisServer));
    }

    [Fact]
    public void Options_reject_invalid_values()
    {
        var options = new RedisTestNodesOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.RestartDelay = TimeSpan.FromMilliseconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ClientPauseDuration = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.StartTimeout = TimeSpan.Zero);
        Assert.False(options.FaultProxy);
        Assert.Equal(TimeSpan.Zero, options.RestartDelay);
    }
}
