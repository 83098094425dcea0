using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Engine;

public class DependencyInjectionTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_node_down_at_start_up_does_not_stop_the_application_and_is_used_once_it_is_back(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await bed.Nodes.Nodes[2].KillAsync();
        var services = new ServiceCollection();
        services.AddRedlock(o =>
        {
            foreach (var node in bed.Nodes.ConnectionStrings)
            {
                o.Nodes.Add(node + ",connectTimeout=500");
            }
        });
        await using var provider = services.BuildServiceProvider();

        var redlock = provider.GetRequiredService<IRedlock>();
        await using (var lease = await redlock.AcquireAsync(Names.Unique("degraded"), TimeSpan.FromSeconds(5)))
        {
            Assert.False(lease.IsLost);
        }

        await bed.Nodes.Nodes[2].RestartAsync();
        var resource = Names.Unique("recovered");
        await Eventually.TrueAsync(
            async () =>
            {
                await using var lease = await redlock.AcquireAsync(resource, TimeSpan.FromSeconds(5));
                return (await bed.ValuesAsync(resource))[2] == lease.Token;
            },
            TimeSpan.FromSeconds(20),
            "the restarted node never rejoined");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_container_disposes_the_connections_the_engine_opened_but_not_the_callers(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var callers = await ConnectionMultiplexer.ConnectAsync(bed.Nodes.ConnectionStrings[0]);
        var services = new ServiceCollection();
        services.AddRedlock(o =>
        {
            o.Connections.Add(callers);
            o.Nodes.Add(bed.Nodes.ConnectionStrings[1]);
            o.Nodes.Add(bed.Nodes.ConnectionStrings[2]);
        });
        var provider = services.BuildServiceProvider();
        var redlock = provider.GetRequiredService<IRedlock>();
        await using (await redlock.AcquireAsync(Names.Unique("di"), TimeSpan.FromSeconds(5)))
        {
        }

        await provider.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => redlock.AcquireAsync(Names.Unique("after"), TimeSpan.FromSeconds(1)));
        Assert.True(callers.IsConnected, "the caller's own connection must stay open");
        Assert.Equal("PONG", (string?)await callers.GetDatabase().ExecuteAsync("PING"));
    }
}
