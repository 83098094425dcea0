namespace RedlockAspects;

/// <summary>
/// Not enough nodes could take part to reach a quorum (they were down, slow or failing),
/// or the lock was granted too slowly to be worth anything. Each node's reason is in <see cref="Nodes"/>.
/// </summary>
public sealed class RedlockNoQuorumException : RedlockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resources">The resources.</param>
    /// <param name="quorum">How many nodes had to agree.</param>
    /// <param name="nodes">What each node answered on the last attempt.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="reason">An optional summary that goes before the node list.</param>
    public RedlockNoQuorumException(IReadOnlyList<string> resources, int quorum, IReadOnlyList<RedlockNodeReport> nodes, int attempts, string? reason = null)
        : base(resources, BuildMessage(resources, quorum, nodes, attempts, reason), nodes.FirstOrDefault(n => n.Exception is not null)?.Exception)
    {
        Quorum = quorum;
        Nodes = nodes;
        Attempts = attempts;
    }

    /// <summary>How many nodes had to agree.</summary>
    public int Quorum { get; }

    /// <summary>What each node answered on the last attempt.</summary>
    public IReadOnlyList<RedlockNodeReport> Nodes { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }

    private static string BuildMessage(IReadOnlyList<string> resources, int quorum, IReadOnlyList<RedlockNodeReport> nodes, int attempts, string? reason)
    {
        var acquired = nodes.Count(n => n.State == RedlockNodeState.Acquired);
        var summary = reason ?? $"{acquired} of {nodes.Count} node(s) granted it, {quorum} needed";
        return $"No quorum for the lock on {Describe(resources)} after {attempts} attempt(s): {summary}. Nodes: {string.Join("; ", nodes)}.";
    }
}
