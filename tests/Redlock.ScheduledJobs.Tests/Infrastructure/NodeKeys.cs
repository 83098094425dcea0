using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>Direct connections to every node of a group (past any proxy), to look at keys and to age them.</summary>
public sealed class NodeKeys : IAsyncDisposable
{
    private readonly IConnectionMultiplexer[] _connections;

    private NodeKeys(IConnectionMultiplexer[] connections)
    {
        _connections = connections;
    }

    public static async Task<NodeKeys> ConnectAsync(RedisTestNodes nodes)
    {
        var connections = await Task.WhenAll(nodes.Nodes.Select(n => n.ConnectAsync()));
        return new NodeKeys(connections);
    }

    /// <summary>The key's value and remaining life on each node, in node order (value null where absent).</summary>
    public async Task<(string? Value, TimeSpan? Ttl)[]> StateAsync(string key)
    {
        var states = new (string?, TimeSpan?)[_connections.Length];
        for (var i = 0; i < states.Length; i++)
        {
            var db = _connections[i].GetDatabase();
            states[i] = (await db.StringGetAsync(key), await db.KeyTimeToLiveAsync(key));
        }

        return states;
    }

    /// <summary>
    /// Lets <paramref name="elapsed"/> pass for every key under <paramref name="prefix"/> on every node: shortens
    /// each key's life by that much, or deletes it when that is all it had left. Only safe while nobody else
    /// touches those keys.
    /// </summary>
    public async Task AgeAsync(string prefix, TimeSpan elapsed)
    {
        var ms = (long)elapsed.TotalMilliseconds;
        if (ms <= 0)
        {
            return;
        }

        foreach (var connection in _connections)
        {
            var server = connection.GetServers()[0];
            var db = connection.GetDatabase();
            await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
            {
                var left = await db.ExecuteAsync("PTTL", key);
                var leftMs = (long)left;
                if (leftMs == -1)
                {
                    throw new InvalidOperationException($"Key '{key}' has no expiry; a lock key always should.");
                }

                if (leftMs <= ms)
                {
                    await db.KeyDeleteAsync(key);
                }
                else
                {
                    await db.ExecuteAsync("PEXPIRE", key, leftMs - ms);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
