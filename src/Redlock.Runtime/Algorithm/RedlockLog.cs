using Microsoft.Extensions.Logging;

namespace RedlockAspects.Algorithm;

/// <summary>The engine's log messages, generated once so that a disabled level costs nothing.</summary>
internal static partial class RedlockLog
{
    [LoggerMessage(1, LogLevel.Trace, "Lock '{Resource}' attempt {Attempt} failed ({Reason}); retrying in {DelayMs:0} ms")]
    public static partial void Retrying(ILogger logger, string resource, int attempt, object reason, double delayMs);

    [LoggerMessage(2, LogLevel.Debug, "Lock '{Resource}' is held by another owner; giving up after {Attempts} attempt(s) and {WaitedMs:0} ms")]
    public static partial void Busy(ILogger logger, string resource, int attempts, double waitedMs);

    [LoggerMessage(3, LogLevel.Warning, "Lock '{Resource}' is lost: {Reason}")]
    public static partial void Lost(ILogger logger, string resource, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Lock '{Resource}' extension not confirmed by a quorum ({Nodes}); retrying while validity remains")]
    public static partial void ExtendUnconfirmed(ILogger logger, string resource, string nodes);

    [LoggerMessage(5, LogLevel.Warning, "Lock '{Resource}' release failed on some nodes; those keys expire on their own: {Error}")]
    public static partial void ReleaseFailed(ILogger logger, string resource, string error);

    [LoggerMessage(6, LogLevel.Information, "Lock '{Resource}' reached its maximum hold of {MaxHoldMs:0} ms; automatic extension stops and the lock will expire")]
    public static partial void MaxHoldReached(ILogger logger, string resource, double maxHoldMs);

    [LoggerMessage(7, LogLevel.Warning, "Lock '{Resource}': {Count} LostToken callback(s) threw; the engine carries on. First: {Error}")]
    public static partial void LostCallbackFailed(ILogger logger, string resource, int count, string error);

    [LoggerMessage(8, LogLevel.Information, "Node {Node} had lost its data (restarted without persistence); copied {Count} fencing counter(s) onto it from the other nodes")]
    public static partial void FencesRepaired(ILogger logger, string node, int count);

    [LoggerMessage(9, LogLevel.Debug, "Node {Node}: copying fencing counters failed ({Error}); the next reconnect tries again")]
    public static partial void FenceRepairFailed(ILogger logger, string node, string error);
}
