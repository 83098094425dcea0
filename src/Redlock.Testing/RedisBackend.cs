namespace RedlockAspects.Testing;

/// <summary>Which Redis-protocol server a <see cref="RedisTestNodes"/> group runs.</summary>
public enum RedisBackend
{
    /// <summary>
    /// Microsoft Garnet, embedded in the current process (one server per node on its own loopback port).
    /// Always available. Lua runs in transaction mode, so scripts are atomic. Garnet has no
    /// <c>CLIENT PAUSE</c>, <c>DEBUG SLEEP</c> or <c>SHUTDOWN</c>, and cannot be stopped with a signal,
    /// so pausing a Garnet node needs <see cref="RedisTestNodesOptions.FaultProxy"/>.
    /// </summary>
    Garnet,

    /// <summary>
    /// A real <c>redis-server</c> process per node (7.0 or later), without persistence. Needs the executable;
    /// see <see cref="RedisTestNodesOptions.RedisServerPath"/> and <see cref="RedisTestNodes.IsRedisServerAvailable"/>.
    /// </summary>
    RedisServer,
}
