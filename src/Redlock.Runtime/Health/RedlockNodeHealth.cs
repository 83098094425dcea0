namespace RedlockAspects;

/// <summary>Whether a node can take part in the lock, as the engine last saw it.</summary>
public enum RedlockNodeHealth
{
    /// <summary>Nothing is known yet: the connection is still opening and no command has come back.</summary>
    Unknown,

    /// <summary>The node answered its last command within the timeout (or its connection just opened).</summary>
    Up,

    /// <summary>The node's last command failed, timed out or answered too late, or its connection dropped.</summary>
    Down,
}
