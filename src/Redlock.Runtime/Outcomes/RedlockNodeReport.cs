namespace RedlockAspects;

/// <summary>One node's part in a failed attempt: which node, what it answered, and why.</summary>
/// <param name="Node">The node's endpoint, as configured.</param>
/// <param name="State">What the node answered.</param>
/// <param name="Detail">A human-readable reason, such as the server's error text.</param>
/// <param name="Exception">The client exception, when there was one.</param>
public sealed record RedlockNodeReport(string Node, RedlockNodeState State, string? Detail = null, Exception? Exception = null)
{
    /// <inheritdoc />
    public override string ToString() => Detail is null ? $"{Node}: {State}" : $"{Node}: {State} ({Detail})";
}
