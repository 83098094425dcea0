using Medallion.Threading.Redis;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using StackExchange.Redis;

namespace RedlockAspects.Benchmarks.Contention;

/// <summary>
/// One library under test, opened from node connection strings with its own connections, the way each process of a
/// real service would open it. <see cref="AcquireAsync"/> returns the held lock, or <c>null</c> when the wait budget ran out.
/// </summary>
internal abstract class LockLibrary : IAsyncDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>The libraries in report order, by the name the parent passes to its children.</summary>
    public static readonly string[] Names = ["ours", "ours-fair", "redlocknet", "distributedlock", "floor"];

    public static string Describe(string name) => name switch
    {
        "ours" => "RedlockAspects",
        "ours-fair" => "RedlockAspects Fair",
        "redlocknet" => "RedLock.net 2.3.2",
        "distributedlock" => "DistributedLock.Redis 1.1.1",
        "floor" => "floor: BLPOP token, 1 node",
        _ => name,
    };

    public static async Task<LockLibrary> OpenAsync(string name, IReadOnlyList<string> nodes, string key) => name switch
    {
        "ours" => Ours.Open(nodes, key, fair: false),
        "ours-fair" => Ours.Open(nodes, key, fair: true),
        "redlocknet" => await RedLockNetLibrary.OpenAsync(nodes, key),
        "distributedlock" => await DistributedLockLibrary.OpenAsync(nodes, key),
        "floor" => await HandOffFloor.OpenAsync(nodes[0], key),
        _ => throw new ArgumentException($"Unknown library '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    public abstract Task<IAsyncDisposable?> AcquireAsync();

    public abstract ValueTask DisposeAsync();

    private static async Task<ConnectionMultiplexer[]> ConnectAsync(IReadOnlyList<string> nodes)
    {
        var connections = new ConnectionMultiplexer[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            connections[i] = await ConnectionMultiplexer.ConnectAsync(nodes[i]);
        }

        return connections;
    }

    private sealed class Ours(RedlockEngine engine, string key, RedlockAcquireOptions options) : LockLibrary
    {
        public static Ours Open(IReadOnlyList<string> nodes, string key, bool fair)
        {
            var options = new RedlockOptions();
            foreach (var node in nodes)
            {
                options.Nodes.Add(node);
            }

            return new Ours(new RedlockEngine(options), key, new RedlockAcquireOptions { RetryCount = -1, MaxWait = MaxWait, Fair = fair });
        }

        public override async Task<IAsyncDisposable?> AcquireAsync() => await engine.AcquireAsync(key, Ttl, options);

        public override ValueTask DisposeAsync() => engine.DisposeAsync();
    }

    private sealed class RedLockNetLibrary(ConnectionMultiplexer[] connections, RedLockFactory factory, string key) : LockLibrary
    {
        public static async Task<RedLockNetLibrary> OpenAsync(IReadOnlyList<string> nodes, string key)
        {
            var connections = await ConnectAsync(nodes);
            return new RedLockNetLibrary(connections, RedLockFactory.Create(connections.Select(c => new RedLockMultiplexer(c)).ToList()), key);
        }

        public override async Task<IAsyncDisposable?> AcquireAsync()
        {
            var redLock = await factory.CreateLockAsync(key, Ttl, MaxWait, TimeSpan.FromMilliseconds(20));
            if (!redLock.IsAcquired)
            {
                redLock.Dispose();
                return null;
            }

            return redLock;
        }

        public override async ValueTask DisposeAsync()
        {
            factory.Dispose();
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class DistributedLockLibrary(ConnectionMultiplexer[] connections, RedisDistributedLock distributedLock) : LockLibrary
    {
        public static async Task<DistributedLockLibrary> OpenAsync(IReadOnlyList<string> nodes, string key)
        {
            var connections = await ConnectAsync(nodes);
            return new DistributedLockLibrary(connections, new RedisDistributedLock(key, connections.Select(c => c.GetDatabase())));
        }

        public override async Task<IAsyncDisposable?> AcquireAsync() => await distributedLock.TryAcquireAsync(MaxWait);

        public override async ValueTask DisposeAsync()
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
