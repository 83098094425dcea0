namespace RedlockAspects.Testing;

/// <summary>Settings for <see cref="RedisTestNodes.StartAsync"/>. Every setter checks its value at once.</summary>
public sealed class RedisTestNodesOptions
{
    /// <summary>The environment variable read when <see cref="RedisServerPath"/> is not set.</summary>
    public const string RedisServerPathVariable = "REDIS_SERVER_PATH";

    private TimeSpan _restartDelay = TimeSpan.Zero;
    private TimeSpan _clientPauseDuration = TimeSpan.FromSeconds(2);
    private TimeSpan _startTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Puts a TCP relay in front of each node, so that clients connect through it. Needed for
    /// <see cref="PauseMode.Proxy"/> (the only way to pause Garnet) and for <see cref="RedisTestNode.Latency"/>.
    /// Default <c>false</c>.
    /// </summary>
    public bool FaultProxy { get; set; }

    /// <summary>
    /// The shortest time a killed node stays down: <see cref="RedisTestNode.RestartAsync"/> waits until this much
    /// time has passed since the kill (the Redlock "delayed restart"). Default zero. Copied to
    /// <see cref="RedisTestNodes.RestartDelay"/>, which can be changed later.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan RestartDelay
    {
        get => _restartDelay;
        set => _restartDelay = value < TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(RestartDelay), value, "RestartDelay must not be negative.")
            : value;
    }

    /// <summary>
    /// The <c>redis-server</c> executable: a path, or a bare name looked up on <c>PATH</c>. When <c>null</c>, the
    /// <c>REDIS_SERVER_PATH</c> environment variable is used, and when that is unset too, <c>redis-server</c> on <c>PATH</c>.
    /// </summary>
    public string? RedisServerPath { get; set; }

    /// <summary>
    /// How long a <see cref="PauseMode.ClientPause"/> pause lasts at most (it is sent as <c>CLIENT PAUSE &lt;ms&gt; ALL</c>).
    /// Default 2 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ClientPauseDuration
    {
        get => _clientPauseDuration;
        set => _clientPauseDuration = value <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(ClientPauseDuration), value, "ClientPauseDuration must be greater than zero.")
            : value;
    }

    /// <summary>How long one node may take to start answering before start-up fails. Default 15 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan StartTimeout
    {
        get => _startTimeout;
        set => _startTimeout = value <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(StartTimeout), value, "StartTimeout must be greater than zero.")
            : value;
    }
}
