namespace RedlockAspects;

/// <summary>What one Redis node answered during one attempt.</summary>
public enum RedlockNodeState
{
    /// <summary>The node granted the lock (or confirmed the extension).</summary>
    Acquired,

    /// <summary>The node answered, and another holder's token is on the key.</summary>
    Busy,

    /// <summary>The node did not answer within the per-node timeout.</summary>
    TimedOut,

    /// <summary>No connection to the node was available.</summary>
    Unreachable,

    /// <summary>The node answered with an error.</summary>
    Error,

    /// <summary>The node had not answered yet when the outcome was already decided (a quorum granted, or became impossible).</summary>
    Pending,
}
