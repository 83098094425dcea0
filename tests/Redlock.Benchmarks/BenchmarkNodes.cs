using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.Benchmarks;

/// <summary>
/// Three real nodes and one connection to each, shared by every library in the run so that all of them pay for
/// the same sockets: redis-server processes when installed (as the peers' published figures were), else Garnet.
/// </summary>
internal sealed class BenchmarkNodes : IAsyncDisposable
{
    private BenchmarkNodes(RedisTestNodes nodes, ConnectionMultiplexer[] connections)
    {
        Nodes = nodes;
        Connections = connections;
        Databases = connections.Select(c => c.GetDatabase()).ToArray();
    }

    public RedisTestNodes Nodes { get; }

    public ConnectionMultiplexer[] Connections { get; }

    public IDatabase[] Databases { get; }

    public static RedisBackend Backend =>
        Environment.GetEnvironmentVariable("REDLOCK_BENCH_BACKEND") is { } forced
            ? Enum.Parse<RedisBackend>(forced, ignoreCase: true)
            : RedisTestNodes.IsRedisServerAvailable() ? RedisBackend.RedisServer : RedisBackend.Garnet;

    public static async Task<BenchmarkNodes> StartAsync(int count = 3)
    {
        var nodes = await RedisTestNodes.StartAsync(Backend, count);
        var connections = new ConnectionMultiplexer[count];
        for (var i = 0; i < count; i++)
        {
            connections[i] = await ConnectionMultiplexer.ConnectAsync(nodes.ConnectionStrings[i]);
        }

        return new BenchmarkNodes(nodes, connections);
    }

    public RedlockEngine CreateEngine(Action<RedlockOptions>? configure = null)
    {
        var options = new RedlockOptions();
        foreach (var connection in Connections)
        {
            options.Connections.Add(connection);
        }

        configure?.Invoke(options);
        return new RedlockEngine(options);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
        {
            await connection.DisposeAsync();
        }

        await Nodes.DisposeAsync();
    }
}
