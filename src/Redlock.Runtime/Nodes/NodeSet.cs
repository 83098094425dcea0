using System.Collections;

namespace RedlockAspects.Nodes;

/// <summary>
/// The independent nodes one engine locks over, and the quorum they need (N/2 + 1). Every phase of the algorithm
/// addresses nodes through this set, by index, so a new kind of node changes only how a node is opened
/// (<see cref="NodeConnector"/>) and what one node does with a command (<see cref="RedlockNode"/>), never the algorithm.
/// </summary>
internal sealed class NodeSet : IReadOnlyList<RedlockNode>, IAsyncDisposable
{
    private readonly RedlockNode[] _nodes;
    private volatile bool _warm;

    public NodeSet(IEnumerable<RedlockNode> nodes)
    {
        _nodes = [.. nodes];
        Quorum = _nodes.Length / 2 + 1;
    }

    /// <summary>How many nodes must agree.</summary>
    public int Quorum { get; }

    public int Count => _nodes.Length;

    public RedlockNode this[int index] => _nodes[index];

    /// <summary>Opens (without waiting) a node for every connection the caller made and every configured node string.</summary>
    public static NodeSet Open(RedlockOptions options)
    {
        var nodes = new List<RedlockNode>(options.Nodes.Count + options.Connections.Count);
        try
        {
            foreach (var connection in options.Connections)
            {
                nodes.Add(NodeConnector.Wrap(connection));
            }

            foreach (var node in options.Nodes)
            {
                nodes.Add(NodeConnector.Connect(node, options.ConfigureConnection));
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                _ = node.DisposeAsync();
            }

            throw;
        }

        return new NodeSet(nodes);
    }

    /// <summary>
    /// Before an engine's first attempt: waits (at most <paramref name="bound"/>) until a quorum of nodes is connected or
    /// every node's first connection attempt has ended. Connections open in the background, so without this the first
    /// attempts of a fresh engine could time out on nodes that are merely still connecting. Free once warm.
    /// </summary>
    public async ValueTask WarmAsync(TimeSpan bound, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (_warm)
        {
            return;
        }

        var started = timeProvider.GetTimestamp();
        while (!IsWarm() && timeProvider.GetElapsedTime(started) < bound)
        {
            var pending = _nodes.Where(n => !n.Opened.IsCompleted).Select(n => n.Opened).ToArray();
            var step = TimeSpan.FromMilliseconds(10);
            if (pending.Length > 0)
            {
                await Task.WhenAny(Task.WhenAny(pending), Task.Delay(step, timeProvider, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                // Connected sockets finishing their handshake: look again shortly.
                await Task.Delay(step, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        _warm = true;
    }

    private bool IsWarm() =>
        _nodes.Count(n => n.IsConnected) >= Quorum || _nodes.All(n => n.Opened.IsCompleted);

    /// <summary>Each node's reply as a report, in node order.</summary>
    public IReadOnlyList<RedlockNodeReport> Report(NodeReply[] replies)
    {
        var reports = new RedlockNodeReport[replies.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            reports[i] = replies[i].ToReport(_nodes[i].Name);
        }

        return reports;
    }

    /// <summary>Each node's reply in a few words, in node order, for logs (reports keep the client's full text).</summary>
    public string Describe(NodeReply[] replies)
    {
        var parts = new string[replies.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            parts[i] = _nodes[i].Name + ": " + (replies[i].IsFailure ? NodeFailureText.Of(replies[i]) : replies[i].State.ToString());
        }

        return string.Join("; ", parts);
    }

    /// <summary>Closes the connections the engine opened; the caller's own connections stay open.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    public IEnumerator<RedlockNode> GetEnumerator() => ((IEnumerable<RedlockNode>)_nodes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _nodes.GetEnumerator();
}
