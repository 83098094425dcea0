using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Engine;

/// <summary>An application's own <see cref="IConnectionMultiplexer"/>s from the container as the lock's nodes (as Aspire registers them).</summary>
public class ConnectionsFromServicesTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Keyed_connections_from_the_container_are_the_nodes_and_the_engine_does_not_dispose_them(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var services = new ServiceCollection();
        for (var i = 0; i < 3; i++)
        {
            var connectionString = bed.Nodes.ConnectionStrings[i];

            // What Aspire's AddKeyedRedisClient("redisN") does: a keyed singleton the container creates and owns.
            services.AddKeyedSingleton<IConnectionMultiplexer>("redis" + i, (_, _) => ConnectionMultiplexer.Connect(connectionString));
        }

        services.AddRedlock(o => o.NodeTimeout = TimeSpan.FromSeconds(1)).UseConnectionsFromServices("redis0", "redis1", "redis2");
        var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<RedlockEngine>();
        var connections = Enumerable.Range(0, 3).Select(i => provider.GetRequiredKeyedService<IConnectionMultiplexer>("redis" + i)).ToArray();

        Assert.Equal(2, engine.Quorum);
        var resource = Names.Unique("byo");
        await using (var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(30)))
        {
            await bed.HeldEverywhereAsync(resource, lease.Token);
            foreach (var connection in connections)
            {
                Assert.Equal(lease.Token, (string?)await connection.GetDatabase().StringGetAsync(resource));
            }
        }

        await bed.GoneEverywhereAsync(resource);

        // The engine did not open these connections, so disposing it leaves them open for the application.
        await engine.DisposeAsync();
        foreach (var connection in connections)
        {
            Assert.True(connection.IsConnected);
            Assert.Equal("PONG", (string?)await connection.GetDatabase().ExecuteAsync("PING"));
        }

        // Their owner, the container, closes them.
        await provider.DisposeAsync();
        Assert.All(connections, c => Assert.False(c.IsConnected));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_apps_single_connection_makes_a_single_node_lock(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 1);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(bed.Nodes.ConnectionStrings[0]);
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(connection);
        services.AddRedlock(_ => { }).UseConnectionsFromServices();
        await using (var provider = services.BuildServiceProvider())
        {
            var redlock = provider.GetRequiredService<IRedlock>();
            var resource = Names.Unique("single");

            await using var lease = await redlock.AcquireAsync(resource, TimeSpan.FromSeconds(30));

            Assert.Equal(lease.Token, (string?)await connection.GetDatabase().StringGetAsync(resource));
            Assert.Equal(1, ((RedlockEngine)redlock).Quorum);
        }

        // An instance the application registered is neither the container's nor the engine's to dispose.
        Assert.True(connection.IsConnected);
    }
}
