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
    private bool _disposed;

    public NodeWatch(NodeSet nodes, ILogger logger, TimeProvider time)
    {
        _nodes = nodes;
        _logger = logger;
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
        lock (_gate)
        {
            // Connections failing because the engine is closing them are not news.
            if (_disposed)
            {
                return;
            }
        }

        var up = _nodes.Count(n => n.Health.State == RedlockNodeHealth.Up);
        if (change.To == RedlockNodeHealth.Down)
        {
            RedlockLog.NodeDown(_logger, node.Node, change.Detail ?? "unknown reason", up, _nodes.Count, _nodes.Quorum);
        }
        else if (change.From == RedlockNodeHealth.Down)
        {
            RedlockLog.NodeBack(_logger, node.Node, change.After.TotalSeconds, up, _nodes.Count, _nodes.Quorum);
        }
        else
        {
            RedlockLog.NodeUp(_logger, node.Node, up, _nodes.Count);
        }
    }
}
