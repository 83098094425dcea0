namespace RedlockAspects;

/// <summary>
/// One node as the engine last saw it, learned from the commands it sends anyway and from the connection's events
/// (see <see cref="RedlockEngine.NodeStatus"/>).
/// </summary>
/// <param name="Node">The node's endpoint, as configured.</param>
/// <param name="Health">Up, down, or not known yet.</param>
/// <param name="RoundTrip">How long the node took to answer the last command it answered; <c>null</c> before any answer.</param>
/// <param name="LastSeen">When the engine last heard from or about the node (an answer, a failure, a connection event); <c>null</c> before that.</param>
/// <param name="Since">When <paramref name="Health"/> last changed.</param>
/// <param name="Detail">Why the node is down (short, for people); <c>null</c> when it is up.</param>
public sealed record RedlockNodeStatus(
    string Node,
    RedlockNodeHealth Health,
    TimeSpan? RoundTrip,
    DateTimeOffset? LastSeen,
    DateTimeOffset Since,
    string? Detail)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var roundTrip = RoundTrip is { } rtt ? FormattableString.Invariant($", {rtt.TotalMilliseconds:0.###} ms") : string.Empty;
        return Detail is null ? $"{Node}: {Health}{roundTrip}" : $"{Node}: {Health} ({Detail}){roundTrip}";
    }
}
