using System.Diagnostics;
using System.Globalization;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Harness;

internal enum FaultKind
{
    /// <summary>SIGKILL (or Garnet disposed), restarted empty after the delayed-restart wait.</summary>
    KillAndRestart,
    PauseSignal,
    PauseClientPause,
    PauseProxy,
    Latency,

    /// <summary>CLIENT KILL of every client connection on the server, so clients reconnect.</summary>
    DropConnections,
}

/// <summary>
/// Injects faults drawn from the run's seed (its own random, so the fault sequence does not depend on the
/// workers), on a minority of nodes at any time. Each fault is an episode on one node: begin, last a while, end.
/// </summary>
internal sealed class FaultInjector(HarnessConfig config, RedisTestNodes nodes, Action<string> log)
{
    private readonly Random _random = new(unchecked(config.Seed * 31 + 17));
    private readonly int[] _faulted = new int[config.Nodes];
    private readonly Dictionary<FaultKind, int> _counts = [];
    private readonly List<Task> _episodes = [];
    private int _dropUnsupported;
    private long _connectionsDropped;

    public IReadOnlyDictionary<FaultKind, int> Counts
    {
        get { lock (_counts) { return new Dictionary<FaultKind, int>(_counts); } }
    }

    public int Total => Counts.Values.Sum();

    /// <summary>Whether a node is in a fault episode (or between its begin and end), so it must not be audited now.</summary>
    public bool IsFaulted(int node) => Volatile.Read(ref _faulted[node]) != 0;

    /// <summary>Starts episodes until <paramref name="stop"/> fires, then waits for every episode to end (nodes back, unpaused, no latency).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var kinds = AvailableKinds();
        try
        {
            if (kinds.Length == 0)
            {
                await Task.Delay(Timeout.Infinite, stop);
            }

            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(100, 900)), stop);
                var free = Enumerable.Range(0, config.Nodes).Where(n => !IsFaulted(n)).ToArray();
                if (config.Nodes - free.Length >= config.MaxFaultedNodes)
                {
                    continue;
                }

                var node = free[_random.Next(free.Length)];
                var kind = kinds[_random.Next(kinds.Length)];
                var duration = TimeSpan.FromMilliseconds(_random.Next(50, 1500));
                var latency = TimeSpan.FromMilliseconds(_random.Next(5, (int)(config.MaxTtlMs * 0.4)));
                Volatile.Write(ref _faulted[node], 1);
                lock (_counts)
                {
                    _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
                }

                _episodes.RemoveAll(e => e.IsCompleted);
                _episodes.Add(EpisodeAsync(node, kind, duration, latency));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; the episodes in flight finish below.
        }

        await Task.WhenAll(_episodes);
        if (_dropUnsupported > 0)
        {
            log($"faults: {_dropUnsupported} connection drop(s) not supported by {config.Backend} (CLIENT KILL refused)");
        }
    }

    public string Describe() =>
        string.Join(", ", Counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) +
        (Counts.ContainsKey(FaultKind.DropConnections) ? $" ({Interlocked.Read(ref _connectionsDropped)} connections dropped)" : string.Empty);

    private FaultKind[] AvailableKinds()
    {
        if (!config.Faults || config.MaxFaultedNodes == 0)
        {
            return [];
        }

        // Every node has the fault proxy, so proxy pauses and latency work on both backends.
        return config.Backend == RedisBackend.RedisServer
            ? [FaultKind.KillAndRestart, FaultKind.PauseSignal, FaultKind.PauseClientPause, FaultKind.PauseProxy, FaultKind.Latency, FaultKind.DropConnections]
            : [FaultKind.KillAndRestart, FaultKind.PauseProxy, FaultKind.Latency, FaultKind.DropConnections];
    }

    private async Task EpisodeAsync(int index, FaultKind kind, TimeSpan duration, TimeSpan latency)
    {
        var node = nodes.Nodes[index];
        var clock = Stopwatch.StartNew();
        try
        {
            switch (kind)
            {
                case FaultKind.KillAndRestart:
                    await node.KillAsync();
                    await node.RestartAsync(); // waits out RestartDelay since the kill
                    break;
                case FaultKind.PauseSignal or FaultKind.PauseClientPause or FaultKind.PauseProxy:
                    var mode = kind switch { FaultKind.PauseSignal => PauseMode.Signal, FaultKind.PauseClientPause => PauseMode.ClientPause, _ => PauseMode.Proxy };
                    await node.PauseAsync(mode);
                    await Task.Delay(duration);
                    await node.ResumeAsync();
                    break;
                case FaultKind.Latency:
                    node.Latency = latency;
                    await Task.Delay(duration);
                    node.Latency = TimeSpan.Zero;
                    break;
                case FaultKind.DropConnections:
                    await DropConnectionsAsync(node);
                    break;
            }
        }
        catch (Exception e)
        {
            // A fault that failed to apply is a harness problem, not an engine one: log it loudly, keep going.
            log(string.Create(CultureInfo.InvariantCulture, $"fault {kind} on node {index} failed after {clock.ElapsedMilliseconds} ms: {e.GetType().Name}: {e.Message}"));
            await RecoverAsync(node);
        }
        finally
        {
            Volatile.Write(ref _faulted[index], 0);
        }
    }

    private async Task DropConnectionsAsync(RedisTestNode node)
    {
        await using var admin = await node.ConnectAsync();
        try
        {
            var killed = await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            Interlocked.Add(ref _connectionsDropped, (long)killed);
        }
        catch (RedisServerException)
        {
            Interlocked.Increment(ref _dropUnsupported);
        }
    }

    private static async Task RecoverAsync(RedisTestNode node)
    {
        try
        {
            node.Latency = TimeSpan.Zero;
            if (!node.IsRunning)
            {
                await node.RestartAsync();
            }
            else
            {
                await node.ResumeAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Nothing more to undo here; the final key check will show a node that stayed broken.
        }
    }
}
