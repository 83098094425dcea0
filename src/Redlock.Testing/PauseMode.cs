namespace RedlockAspects.Testing;

/// <summary>How <see cref="RedisTestNode.PauseAsync"/> makes a node stop answering.</summary>
public enum PauseMode
{
    /// <summary>
    /// The natural choice for the backend: <see cref="Signal"/> for <see cref="RedisBackend.RedisServer"/>,
    /// <see cref="Proxy"/> for <see cref="RedisBackend.Garnet"/>.
    /// </summary>
    Default,

    /// <summary>
    /// <c>SIGSTOP</c> on the <c>redis-server</c> process, <c>SIGCONT</c> on resume: the closest thing to a frozen
    /// machine (a long GC pause, a stalled VM). The kernel still accepts connections; nothing is answered.
    /// redis-server on Linux or macOS only.
    /// </summary>
    Signal,

    /// <summary>
    /// <c>CLIENT PAUSE &lt;ms&gt; ALL</c>: the server holds every client's commands. redis-server only.
    /// The pause is timed (<see cref="RedisTestNodesOptions.ClientPauseDuration"/>): Redis 7.0 queues
    /// <c>CLIENT UNPAUSE</c> behind the pause itself, so <see cref="RedisTestNode.ResumeAsync"/> may return only
    /// when the pause runs out.
    /// </summary>
    ClientPause,

    /// <summary>
    /// The fault proxy stops forwarding bytes in both directions, holds them, and delivers them in order on resume.
    /// Works for every backend; needs <see cref="RedisTestNodesOptions.FaultProxy"/>. Connections made with
    /// <see cref="RedisTestNode.ConnectAsync"/> bypass the proxy and are not paused.
    /// </summary>
    Proxy,
}
