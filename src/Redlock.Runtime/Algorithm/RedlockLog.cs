using Microsoft.Extensions.Logging;

namespace RedlockAspects.Algorithm;

/// <summary>
/// The engine's log messages, generated once so that a disabled level costs nothing. What an operator needs is at
/// Information and above, once per event: the engine starting, a node going down or coming back, a lock lost.
/// Everything that happens per call (retries, busy locks, unconfirmed extensions and releases) is Debug or Trace, so a
/// node that is down does not turn every call into a Warning.
/// </summary>
internal static partial class RedlockLog
{
    [LoggerMessage(1, LogLevel.Trace, "Lock '{Resource}' attempt {Attempt} failed ({Reason}); retrying in {DelayMs:0} ms")]
    public static partial void Retrying(ILogger logger, string resource, int attempt, object reason, double delayMs);

    [LoggerMessage(2, LogLevel.Debug, "Lock '{Resource}' is held by another owner; giving up after {Attempts} attempt(s) and {WaitedMs:0} ms")]
    public static partial void Busy(ILogger logger, string resource, int attempts, double waitedMs);

    [LoggerMessage(3, LogLevel.Warning, "Lock '{Resource}' was lost after being held for {HeldSeconds:0.###} s: {Reason}")]
    public static partial void Lost(ILogger logger, string resource, double heldSeconds, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Lock '{Resource}': extension not confirmed by a quorum ({Nodes}); retrying while {RemainingMs:0} ms of validity remain")]
    public static partial void ExtendUnconfirmed(ILogger logger, string resource, string nodes, double remainingMs);

    [LoggerMessage(5, LogLevel.Debug, "Lock '{Resource}': release not confirmed by {Nodes}; those keys expire on their own")]
    public static partial void ReleaseFailed(ILogger logger, string resource, string nodes);

    [LoggerMessage(6, LogLevel.Information, "Lock '{Resource}' reached its maximum hold of {MaxHoldMs:0} ms; automatic extension stops and the lock will expire")]
    public static partial void MaxHoldReached(ILogger logger, string resource, double maxHoldMs);

    [LoggerMessage(7, LogLevel.Warning, "Lock '{Resource}': {Count} LostToken callback(s) threw; the engine carries on. First: {Error}")]
    public static partial void LostCallbackFailed(ILogger logger, string resource, int count, string error);

    [LoggerMessage(8, LogLevel.Information, "Node {Node} had lost its data (restarted without persistence); copied {Count} fencing counter(s) onto it from the other nodes")]
    public static partial void FencesRepaired(ILogger logger, string node, int count);

    [LoggerMessage(9, LogLevel.Debug, "Node {Node}: copying fencing counters failed ({Error}); the next reconnect tries again")]
    public static partial void FenceRepairFailed(ILogger logger, string node, string error);

    [LoggerMessage(10, LogLevel.Information, "Redlock engine started over {NodeCount} node(s) ({Nodes}); a lock needs {Quorum}; {Settings}")]
    public static partial void Started(ILogger logger, int nodeCount, string nodes, int quorum, string settings);

    [LoggerMessage(11, LogLevel.Warning, "Redis node {Node} is down: {Reason}. {Up} of {Count} nodes are up; a lock needs {Quorum}")]
    public static partial void NodeDown(ILogger logger, string node, string reason, int up, int count, int quorum);

    [LoggerMessage(12, LogLevel.Information, "Redis node {Node} is back after {DownSeconds:0.#} s down. {Up} of {Count} nodes are up; a lock needs {Quorum}")]
    public static partial void NodeBack(ILogger logger, string node, double downSeconds, int up, int count, int quorum);

    [LoggerMessage(13, LogLevel.Debug, "Redis node {Node} is up ({Up} of {Count} nodes)")]
    public static partial void NodeUp(ILogger logger, string node, int up, int count);

    [LoggerMessage(14, LogLevel.Trace, "Lock '{Resource}': extension still not confirmed ({Nodes}); {RemainingMs:0} ms of validity remain")]
    public static partial void ExtendStillUnconfirmed(ILogger logger, string resource, string nodes, double remainingMs);

    [LoggerMessage(15, LogLevel.Warning, "Lock '{Resource}': release failed unexpectedly; the keys expire on their own")]
    public static partial void ReleaseError(ILogger logger, string resource, Exception exception);

    [LoggerMessage(17, LogLevel.Debug, "Redis node {Node} is down again: {Reason}. {Up} of {Count} nodes are up (within a minute of its last Warning: logged at Debug)")]
    public static partial void NodeDownAgain(ILogger logger, string node, string reason, int up, int count);

    [LoggerMessage(18, LogLevel.Debug, "Redis node {Node} is back again after {DownSeconds:0.#} s down. {Up} of {Count} nodes are up")]
    public static partial void NodeBackAgain(ILogger logger, string node, double downSeconds, int up, int count);

    [LoggerMessage(16, LogLevel.Debug, "Lock '{Resource}': no quorum after {Attempts} attempt(s) ({Nodes})")]
    public static partial void NoQuorum(ILogger logger, string resource, int attempts, string nodes);
}
