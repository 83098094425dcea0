namespace RedlockAspects;

/// <summary>One node's view of a lock key.</summary>
/// <param name="Node">The node's endpoint, as configured.</param>
/// <param name="State">Whether the key exists, or why the node could not say.</param>
/// <param name="Token">The key's value (the holder's token) when it exists; otherwise <c>null</c>.</param>
/// <param name="RemainingTtl">How long the key lives on this node; <c>null</c> when it does not exist or has no expiry.</param>
/// <param name="Holder">The holder's description stored with this token on this node, if its engine recorded one.</param>
/// <param name="Detail">Why the node could not say (the client's error), for <see cref="RedlockInspectionState.TimedOut"/>,
/// <see cref="RedlockInspectionState.Unreachable"/> and <see cref="RedlockInspectionState.Error"/>.</param>
public sealed record RedlockNodeInspection(
    string Node,
    RedlockInspectionState State,
    string? Token = null,
    TimeSpan? RemainingTtl = null,
    RedlockHolder? Holder = null,
    string? Detail = null)
{
    /// <summary>True when the node has the key.</summary>
    public bool KeyExists => State == RedlockInspectionState.Held;

    /// <summary>True when the node answered (the key exists or not), false when it timed out, was unreachable or failed.</summary>
    public bool Answered => State is RedlockInspectionState.Free or RedlockInspectionState.Held;

    /// <inheritdoc />
    public override string ToString() => State switch
    {
        RedlockInspectionState.Held => $"{Node}: held by {Token}" + (RemainingTtl is { } ttl ? $" for {ttl.TotalMilliseconds:0} ms more" : " (no expiry)"),
        RedlockInspectionState.Free => $"{Node}: free",
        _ => $"{Node}: {State}" + (Detail is null ? string.Empty : $" ({Detail})"),
    };
}
