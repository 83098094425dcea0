using Microsoft.Extensions.Logging;
using RedlockAspects.Algorithm;
using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// Follows the nodes' health for one engine: listens to each connection's drop and restore events (so a node that dies
/// while the engine is idle is noticed too), logs a node going down or coming back once per change, and lets the
/// telemetry count nodes by state.
/// </summary>
internal sealed class NodeWatch : IDisposable
{
    private readonly NodeSet _nodes;
    private readonly ILogger _logger;
    private readonly List<(IConnectionMultiplexer Connection, EventHandler<ConnectionFailedEventArgs> Failed, EventHandler<ConnectionFailedEventArgs> Restored)> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    // Per node: when its going down was last logged as a Warning, and whether the current outage is a quiet repeat.
    private readonly Dictionary<NodeHealth, (long WarnedAt, bool Quiet)> _episodes = [];
    private bool _disposed;

    /// <summary>
    /// A node that goes down again within this time of its last Warning (a node flapping around the timeout) is logged
    /// at Debug, going down and coming back, so that a flapping node does not log a Warning per call.
    /// </summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(1);

    public NodeWatch(NodeSet nodes, ILogger logger, TimeProvider time)
    {
        _nodes = nodes;
        _logger = logger;
        _time = time;
        foreach (var node in nodes)
        {
            node.Health.Attach(time, OnChanged);
            node.WhenConnected(connection => Subscribe(node, connection));
        }

        RedlockTelemetry.Watch(this);
    }

    public NodeSet Nodes => _nodes;

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var (connection, failed, restored) in _subscriptions)
            {
                connection.ConnectionFailed -= failed;
                connection.ConnectionRestored -= restored;
            }

            _subscriptions.Clear();
        }

        RedlockTelemetry.Unwatch(this);
    }

    private void Subscribe(RedlockNode node, IConnectionMultiplexer connection)
    {
        var health = node.Health;

        // Only the interactive connection carries lock commands; the pub/sub one has its own life.
        EventHandler<ConnectionFailedEventArgs> failed = (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                health.Failed(health.Now(), NodeFailureText.ConnectionLost(e.FailureType));
            }
        };
        EventHandler<ConnectionFailedEventArgs> restored = (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                health.Answered(health.Now(), null);
            }
        };

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            connection.ConnectionFailed += failed;
            connection.ConnectionRestored += restored;
            _subscriptions.Add((connection, failed, restored));
        }

        // What the first connection attempt found; events from before the subscription are not replayed.
        if (connection.IsConnected)
        {
            health.Answered(health.Now(), null);
        }
        else
        {
            health.Failed(health.Now(), "could not connect");
        }
    }

    private void OnChanged(NodeHealth node, NodeHealthChange change)
    {
        bool quiet;
        lock (_gate)
        {
            // Connections failing because the engine is closing them are not news.
            if (_disposed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var known = _episodes.TryGetValue(node, out var episode);
            if (change.To == RedlockNodeHealth.Down)
            {
                quiet = known && _time.GetElapsedTime(episode.WarnedAt, now) < QuietPeriod;
                _episodes[node] = quiet ? episode with { Quiet = true } : (now, false);
            }
            else
            {
                quiet = known && episode.Quiet;
            }
        }

        var up = _nodes.Count(n => n.Health.State == RedlockNodeHealth.Up);
        var reason = change.Detail ?? "unknown reason";
        switch (change.To, change.From, quiet)
        {
            case (RedlockNodeHealth.Down, _, false):
                RedlockLog.NodeDown(_logger, node.Node, reason, up, _nodes.Count, _nodes.Quorum);
                break;
            case (RedlockNodeHealth.Down, _, true):
                RedlockLog.NodeDownAgain(_logger, node.Node, reason, up, _nodes.Count);
                break;
            case (_, RedlockNodeHealth.Down, false):
                RedlockLog.NodeBack(_logger, node.Node, change.After.TotalSeconds, up, _nodes.Count, _nodes.Quorum);
                break;
            case (_, RedlockNodeHealth.Down, true):
                RedlockLog.NodeBackAgain(_logger, node.Node, change.After.TotalSeconds, up, _nodes.Count);
                break;
            default:
                RedlockLog.NodeUp(_logger, node.Node, up, _nodes.Count);
                break;
        }
    }
}
