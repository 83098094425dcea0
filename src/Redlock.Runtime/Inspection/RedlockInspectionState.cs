namespace RedlockAspects;

/// <summary>What one node said about a lock key when it was inspected.</summary>
public enum RedlockInspectionState
{
    /// <summary>The node has no such key: as far as this node goes, the lock is free.</summary>
    Free,

    /// <summary>The key exists; <see cref="RedlockNodeInspection.Token"/> is its value.</summary>
    Held,

    /// <summary>The node did not answer within <see cref="RedlockOptions.NodeTimeout"/>.</summary>
    TimedOut,

    /// <summary>No connection to the node was available.</summary>
    Unreachable,

    /// <summary>The node answered with an error (for example, the key holds something that is not a string).</summary>
    Error,
}
