using RedlockAspects.Testing;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the commands an engine sends to each node: the engine runs over connections this class makes, with a
/// StackExchange.Redis profiler on each. Works the same on every backend.
/// </summary>
public sealed class CommandCounter : IAsyncDisposable
{
    private readonly IConnectionMultiplexer[] _connections;
    private readonly ProfilingSession?[] _sessions;

    private CommandCounter(IConnectionMultiplexer[] connections)
    {
        _connections = connections;
        _sessions = new ProfilingSession?[connections.Length];
        for (var i = 0; i < connections.Length; i++)
        {
            var index = i;
            connections[i].RegisterProfiler(() => Volatile.Read(ref _sessions[index]));
        }
    }

    public IReadOnlyList<IConnectionMultiplexer> Connections => _connections;

    public static async Task<CommandCounter> StartAsync(RedisTestNodes nodes)
    {
        var connections = new IConnectionMultiplexer[nodes.Nodes.Count];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await nodes.Nodes[i].ConnectAsync();
        }

        return new CommandCounter(connections);
    }

    /// <summary>
    /// The commands each node was sent while <paramref name="work"/> ran, by command name. Keep-alive pings are left out, and
    /// so is SCRIPT (LOAD): an engine loads its scripts once when a connection opens, not per call.
    /// </summary>
    public async Task<string[][]> CountAsync(Func<Task> work)
    {
        for (var i = 0; i < _sessions.Length; i++)
        {
            Volatile.Write(ref _sessions[i], new ProfilingSession());
        }

        await work();

        // A quorum answers before the last node does: a PING behind the lock commands on each connection waits for them.
        foreach (var connection in _connections)
        {
            await connection.GetDatabase().PingAsync();
        }

        var result = new string[_sessions.Length][];
        for (var i = 0; i < _sessions.Length; i++)
        {
            var session = Interlocked.Exchange(ref _sessions[i], null)!;
            result[i] = session.FinishProfiling().Select(c => c.Command).Where(c => c is not ("PING" or "ECHO" or "SCRIPT")).ToArray();
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
