using StackExchange.Redis;

namespace RedlockAspects;

/// <summary>
/// Engine-wide settings. Names and defaults follow the node <c>redlock</c> package
/// (<c>driftFactor</c>, <c>retryCount</c>, <c>retryDelay</c>, <c>retryJitter</c>), so a team moving
/// from it keeps its numbers. Every setter checks its value at once.
/// </summary>
public sealed class RedlockOptions
{
    private double _driftFactor = 0.01;
    private int _retryCount = 10;
    private TimeSpan _retryDelay = TimeSpan.FromMilliseconds(200);
    private TimeSpan _retryJitter = TimeSpan.FromMilliseconds(200);
    private TimeSpan? _maxWait;
    private TimeSpan _nodeTimeout = TimeSpan.FromMilliseconds(250);
    private TimeSpan _minValidity = TimeSpan.FromMilliseconds(1);
    private TimeSpan _releaseTimeout = TimeSpan.FromSeconds(1);
    private string? _keyPrefix;

    /// <summary>
    /// Connection strings, one per independent Redis node (for example <c>"10.0.0.1:6379"</c>).
    /// One node means single-node mode: plain <c>SET NX PX</c>.
    /// </summary>
    public IList<string> Nodes { get; } = new List<string>();

    /// <summary>
    /// Connections the caller made and owns, one per node. The engine never disposes them.
    /// Used together with <see cref="Nodes"/>.
    /// </summary>
    public IList<IConnectionMultiplexer> Connections { get; } = new List<IConnectionMultiplexer>();

    /// <summary>Expected clock drift as a fraction of the TTL; drift = ttl × factor + 2 ms. Default 0.01; must be in [0, 0.5).</summary>
    public double DriftFactor
    {
        get => _driftFactor;
        set
        {
            if (double.IsNaN(value) || value < 0 || value >= 0.5)
            {
                throw new ArgumentOutOfRangeException(nameof(DriftFactor), value, "DriftFactor must be in [0, 0.5); the node redlock default is 0.01.");
            }

            _driftFactor = value;
        }
    }

    /// <summary>How many times to retry after the first attempt; -1 retries until <see cref="MaxWait"/> or cancellation. Default 10.</summary>
    public int RetryCount
    {
        get => _retryCount;
        set
        {
            if (value < -1)
            {
                throw new ArgumentOutOfRangeException(nameof(RetryCount), value, "RetryCount must be -1 (unbounded) or 0 or more.");
            }

            _retryCount = value;
        }
    }

    /// <summary>The pause between attempts. Default 200 ms.</summary>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set => _retryDelay = NonNegative(value, nameof(RetryDelay));
    }

    /// <summary>The most random time added to each pause, so that waiters spread out. Default 200 ms.</summary>
    public TimeSpan RetryJitter
    {
        get => _retryJitter;
        set => _retryJitter = NonNegative(value, nameof(RetryJitter));
    }

    /// <summary>The overall wait budget for one acquisition, across all retries. <c>null</c> (the default) leaves only <see cref="RetryCount"/> as the bound.</summary>
    public TimeSpan? MaxWait
    {
        get => _maxWait;
        set => _maxWait = value is { } v ? NonNegative(v, nameof(MaxWait)) : null;
    }

    /// <summary>
    /// How long to wait for one node's answer, measured on our own timer (StackExchange.Redis only checks
    /// its async timeouts on a one-second heartbeat). Default 250 ms.
    /// </summary>
    public TimeSpan NodeTimeout
    {
        get => _nodeTimeout;
        set => _nodeTimeout = Positive(value, nameof(NodeTimeout));
    }

    /// <summary>An attempt whose remaining validity (ttl − elapsed − drift) is below this is treated as failed. Default 1 ms.</summary>
    public TimeSpan MinValidity
    {
        get => _minValidity;
        set => _minValidity = NonNegative(value, nameof(MinValidity));
    }

    /// <summary>How long a release waits for the nodes before giving up (the keys then expire on their own). Default 1 s.</summary>
    public TimeSpan ReleaseTimeout
    {
        get => _releaseTimeout;
        set => _releaseTimeout = Positive(value, nameof(ReleaseTimeout));
    }

    /// <summary>
    /// An optional prefix put before every resource name to form the Redis key. Off by default, so that keys
    /// match the node <c>redlock</c> package and the two exclude each other on one resource.
    /// </summary>
    public string? KeyPrefix
    {
        get => _keyPrefix;
        set => _keyPrefix = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A planted bug for the safety harness; internal, so only tests can set it.</summary>
    internal Algorithm.SafetyMutation Mutation { get; set; }

    /// <summary>Checks the settings as a whole (what a single setter cannot see) and throws with every problem found.</summary>
    /// <exception cref="InvalidOperationException">No nodes, or a node string is blank.</exception>
    public void Validate()
    {
        var problems = ValidationProblems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid Redlock options: " + string.Join(" ", problems));
        }
    }

    internal List<string> ValidationProblems()
    {
        var problems = new List<string>();
        if (Nodes.Count == 0 && Connections.Count == 0)
        {
            problems.Add("No Redis nodes are configured; add at least one connection string to Nodes (or a connection to Connections).");
        }

        for (var i = 0; i < Nodes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Nodes[i]))
            {
                problems.Add($"Nodes[{i}] is empty; each node needs a connection string such as 'localhost:6379'.");
            }
        }

        return problems;
    }

    private static TimeSpan NonNegative(TimeSpan value, string name) =>
        value < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.") : value;

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero.") : value;
}
