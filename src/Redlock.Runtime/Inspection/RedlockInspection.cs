namespace RedlockAspects;

/// <summary>
/// Who holds a lock, node by node, from <see cref="IRedlock.InspectAsync"/>: a snapshot for people and dashboards, not a
/// way to decide whether to acquire (the answer can change the moment after it is read).
/// </summary>
public sealed class RedlockInspection
{
    /// <summary>
    /// Builds the verdict from each node's view. The engine makes these; the constructor is public so that a test double
    /// of <see cref="IRedlock"/> can return one.
    /// </summary>
    /// <param name="resource">The inspected resource.</param>
    /// <param name="key">The Redis key that was read.</param>
    /// <param name="quorum">How many nodes must agree; 1 to the number of nodes.</param>
    /// <param name="nodes">Each node's view, in node order; at least one.</param>
    public RedlockInspection(string resource, string key, int quorum, IReadOnlyList<RedlockNodeInspection> nodes)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0 || quorum < 1 || quorum > nodes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(quorum), quorum, $"The quorum must be between 1 and the number of nodes ({nodes.Count}), and there must be at least one node.");
        }

        Resource = resource;
        Key = key;
        Quorum = quorum;
        Nodes = nodes;

        var free = 0;
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.State == RedlockInspectionState.Free)
            {
                free++;
            }
            else if (node is { State: RedlockInspectionState.Held, Token: { } token })
            {
                votes[token] = votes.GetValueOrDefault(token) + 1;
            }
        }

        IsFree = free >= quorum;
        Token = votes.FirstOrDefault(v => v.Value >= quorum).Key;
        if (Token is not null)
        {
            var holding = nodes.Where(n => n.Token == Token).ToArray();
            Holder = holding.Select(n => n.Holder).FirstOrDefault(h => h is not null);

            // The quorum holds it until the quorum-th longest life among the holding nodes runs out (no expiry: forever).
            var life = holding.Select(n => n.RemainingTtl ?? TimeSpan.MaxValue).OrderDescending().ElementAt(quorum - 1);
            RemainingTtl = life == TimeSpan.MaxValue ? null : life;
        }
    }

    /// <summary>The inspected resource.</summary>
    public string Resource { get; }

    /// <summary>The Redis key that was read (the resource after the engine's <see cref="RedlockOptions.KeyPrefix"/>).</summary>
    public string Key { get; }

    /// <summary>How many nodes must agree: N/2 + 1.</summary>
    public int Quorum { get; }

    /// <summary>Each node's view, in node order. Node failures are states here, never exceptions.</summary>
    public IReadOnlyList<RedlockNodeInspection> Nodes { get; }

    /// <summary>The token a quorum of nodes agrees on: the holder of the lock. <c>null</c> when no quorum agrees on one holder.</summary>
    public string? Token { get; }

    /// <summary>True when a quorum of nodes agrees on one holder (<see cref="Token"/>).</summary>
    public bool IsHeld => Token is not null;

    /// <summary>True when a quorum of nodes has no key: an acquisition now could succeed.</summary>
    /// <remarks>Neither <see cref="IsHeld"/> nor <see cref="IsFree"/>: the nodes disagree, or too few answered to tell.</remarks>
    public bool IsFree { get; }

    /// <summary>The holder's description, when <see cref="IsHeld"/> and the holder's engine recorded one (<see cref="RedlockOptions.HolderName"/>).</summary>
    public RedlockHolder? Holder { get; }

    /// <summary>
    /// When <see cref="IsHeld"/>: how long a quorum still holds the key unless it is extended (the quorum-th longest life
    /// among the nodes holding <see cref="Token"/>); <c>null</c> otherwise, or when the keys have no expiry.
    /// </summary>
    public TimeSpan? RemainingTtl { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var verdict = IsHeld
            ? $"held by {Token}" + (Holder is { } holder ? $" ({holder})" : string.Empty)
            : IsFree ? "free" : "undetermined";
        return $"'{Resource}': {verdict}; " + string.Join("; ", Nodes);
    }
}
