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
                nodes.Add(NodeConnector.Connect(node));
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
