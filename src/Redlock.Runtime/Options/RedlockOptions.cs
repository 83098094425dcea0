using StackExchange.Redis;
using NodeAddress = RedlockAspects.Nodes.NodeAddress;

namespace RedlockAspects;

/// <summary>
/// Engine-wide settings. Names and meanings follow the node <c>redlock</c> package
/// (<c>driftFactor</c>, <c>retryCount</c>, <c>retryDelay</c>, <c>retryJitter</c>), so a team moving
/// from it keeps its numbers. The defaults (0.01, 10, 200 ms, 200 ms) are the settings of the article this project
/// started from; node <c>redlock</c> 4.x itself defaults the jitter to 100 ms. Every setter checks its value at once.
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
    private string? _holderName;

    /// <summary>
    /// Connection strings, one per independent Redis node (for example <c>"10.0.0.1:6379"</c>).
    /// One node means single-node mode: plain <c>SET NX PX</c>.
    /// </summary>
    public IList<string> Nodes { get; } = new List<string>();

    /// <summary>
    /// Connections the caller made and owns, one per independent node (a connection to a primary and its replicas is one
    /// node). The engine never disposes them. Used together with <see cref="Nodes"/>. To take them from the container,
    /// call <c>UseConnectionsFromServices(...)</c> on the builder <c>AddRedlock</c> returns (docs/engines.md).
    /// </summary>
    public IList<IConnectionMultiplexer> Connections { get; } = new List<IConnectionMultiplexer>();

    /// <summary>
    /// Adjusts the StackExchange.Redis options of each <see cref="Nodes"/> string before its connection opens, for what a
    /// string cannot say: trusting a private certificate authority (<c>o.TrustIssuer(path)</c>), a client certificate,
    /// or a custom <c>CertificateValidation</c>. Called once per node, with that node's options. Code only (not from
    /// configuration); not used for <see cref="Connections"/>, which are opened by the caller.
    /// </summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

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

    /// <summary>The pause between attempts. Default 200 ms; 0 to 1 hour.</summary>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set => _retryDelay = SettingRanges.Check(value, SettingRanges.RetryDelay, nameof(RetryDelay));
    }

    /// <summary>
    /// How far each pause may stray from <see cref="RetryDelay"/>, either way (node <c>redlock</c>'s meaning: the pause is
    /// delay + a random offset in [−jitter, +jitter], never below zero), so that waiters spread out. Default 200 ms; 0 to 1 hour.
    /// </summary>
    public TimeSpan RetryJitter
    {
        get => _retryJitter;
        set => _retryJitter = SettingRanges.Check(value, SettingRanges.RetryJitter, nameof(RetryJitter));
    }

    /// <summary>
    /// The overall wait budget for one acquisition, across all retries; 0 to 2,147,483,647 ms. <c>null</c> (the default)
    /// leaves <see cref="RetryCount"/> as the bound (with the time those attempts could take as the implied budget).
    /// </summary>
    public TimeSpan? MaxWait
    {
        get => _maxWait;
        set => _maxWait = SettingRanges.Check(value, SettingRanges.MaxWait, nameof(MaxWait));
    }

    /// <summary>
    /// How long to wait for one node's answer, measured on our own timer (StackExchange.Redis only checks
    /// its async timeouts on a one-second heartbeat). Default 250 ms; 1 ms to 1 minute.
    /// </summary>
    public TimeSpan NodeTimeout
    {
        get => _nodeTimeout;
        set => _nodeTimeout = SettingRanges.Check(value, SettingRanges.NodeTimeout, nameof(NodeTimeout));
    }

    /// <summary>
    /// The least validity a granted attempt must still have when the answers are in (validity runs until the attempt's
    /// start + ttl − drift); with less, the attempt counts as failed and no lease is returned. Default 1 ms; 0 to 1 hour.
    /// </summary>
    public TimeSpan MinValidity
    {
        get => _minValidity;
        set => _minValidity = SettingRanges.Check(value, SettingRanges.MinValidity, nameof(MinValidity));
    }

    /// <summary>How long a release waits for the nodes before giving up (the keys then expire on their own). Default 1 s; 1 ms to 1 minute.</summary>
    public TimeSpan ReleaseTimeout
    {
        get => _releaseTimeout;
        set => _releaseTimeout = SettingRanges.Check(value, SettingRanges.ReleaseTimeout, nameof(ReleaseTimeout));
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

    /// <summary>
    /// Turns on the holder description: a name for this process (for example <c>"billing-worker"</c>) that
    /// <see cref="IRedlock.InspectAsync"/> reports, with the host name and process id, for every lock this engine holds.
    /// <c>null</c> (the default) records nothing, and acquiring and releasing cost exactly what they do without it.
    /// </summary>
    /// <remarks>
    /// The lock key and its value stay exactly as node <c>redlock</c> writes them (the value is the token); the description
    /// goes in a second key, <c>{&lt;key&gt;}:redlock-holder</c> (or <c>&lt;key&gt;:redlock-holder</c> when the key has a
    /// hash tag, so both share a cluster slot), written by the same script and with the same life as the lock; extension
    /// keeps it alive and release deletes it. At most 200 characters; an empty string means <c>null</c>.
    /// </remarks>
    public string? HolderName
    {
        get => _holderName;
        set
        {
            if (value is { Length: > MaxHolderNameLength })
            {
                throw new ArgumentOutOfRangeException(nameof(HolderName), value, $"HolderName is {value.Length} characters long; at most {MaxHolderNameLength} are allowed.");
            }

            _holderName = string.IsNullOrEmpty(value) ? null : value;
        }
    }

    private const int MaxHolderNameLength = 200;

    /// <summary>A planted bug for the safety harness; internal, so only tests can set it.</summary>
    internal Algorithm.SafetyMutation Mutation { get; set; }

    /// <summary>Checks the settings as a whole (what a single setter cannot see) and throws with every problem found.</summary>
    /// <exception cref="InvalidOperationException">No nodes, a node string that is not an endpoint, or one node listed twice.</exception>
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

        // The same node twice would count twice toward the quorum: one failure could then cost two votes.
        // A cluster's node string lists several endpoints: sharing any one of them with another node is the same mistake.
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var reported = new HashSet<(string, string)>();
        void Note(string identity, string label)
        {
            if (!seen.TryAdd(identity, label) && seen[identity] != label && reported.Add((label, seen[identity])))
            {
                problems.Add($"{label} and {seen[identity]} are the same node ({identity}); list each node once, or the quorum counts it twice.");
            }
        }

        for (var i = 0; i < Nodes.Count; i++)
        {
            var label = $"Nodes[{i}]";
            if (NodeAddress.Problem(Nodes[i], label, out var endpoints) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                foreach (var endpoint in endpoints!)
                {
                    Note(endpoint, label);
                }
            }
        }

        for (var i = 0; i < Connections.Count; i++)
        {
            if (Connections[i] is null)
            {
                problems.Add($"Connections[{i}] is null.");
                continue;
            }

            foreach (var endpoint in Connections[i].GetEndPoints())
            {
                if (NodeAddress.Describe(endpoint) is { } identity)
                {
                    Note(identity, $"Connections[{i}]");
                }
            }
        }

        return problems;
    }
}
