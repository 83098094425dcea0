using Microsoft.Extensions.Logging;
using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// What every phase of the algorithm needs: the nodes, a frozen copy of the settings, the clock and the log.
/// The settings are copied once so that a caller changing its <see cref="RedlockOptions"/> later cannot
/// change a running engine.
/// </summary>
internal sealed class EngineContext
{
    public EngineContext(IReadOnlyList<RedlockNode> nodes, RedlockOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Nodes = nodes as NodeSet ?? new NodeSet(nodes);
        DriftFactor = options.DriftFactor;
        RetryCount = options.RetryCount;
        RetryDelay = options.RetryDelay;
        RetryJitter = options.RetryJitter;
        MaxWait = options.MaxWait;
        NodeTimeout = options.NodeTimeout;
        MinValidity = options.MinValidity;
        ReleaseTimeout = options.ReleaseTimeout;
        KeyPrefix = options.KeyPrefix;
        Mutation = options.Mutation;
        Holder = options.HolderName is { } holderName ? new HolderDescription(holderName) : null;
        TimeProvider = timeProvider;
        Logger = logger;
        FenceRepair = new FenceRepair(this);
        Watch = new NodeWatch(Nodes, logger, timeProvider);
        Wakes = new WakeChannels(Nodes, WaitLine);
    }

    public NodeSet Nodes { get; }

    public int Quorum => Nodes.Quorum;

    public double DriftFactor { get; }

    public int RetryCount { get; }

    public TimeSpan RetryDelay { get; }

    public TimeSpan RetryJitter { get; }

    public TimeSpan? MaxWait { get; }

    public TimeSpan NodeTimeout { get; }

    public TimeSpan MinValidity { get; }

    public TimeSpan ReleaseTimeout { get; }

    public string? KeyPrefix { get; }

    public SafetyMutation Mutation { get; }

    /// <summary>The holder description each grant stores beside its keys, or <c>null</c> when it is off (the default).</summary>
    public HolderDescription? Holder { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    public LocalWaitLine WaitLine { get; } = new();

    public FenceRepair FenceRepair { get; }

    /// <summary>Follows the nodes' health: logs a node going down or coming back, feeds the node-count metric.</summary>
    public NodeWatch Watch { get; }

    /// <summary>Wake-ups from releases in other processes, for this engine's waiters.</summary>
    public WakeChannels Wakes { get; }

    public RedisKey KeyFor(string resource) => KeyPrefix is null ? new RedisKey(resource) : new RedisKey(KeyPrefix + resource);

    /// <summary>Converts a span to the clock's timestamp units.</summary>
    public long ToTimestamp(TimeSpan span) => (long)(span.Ticks * (TimeProvider.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    /// <summary>Converts a difference of the clock's timestamps to a span.</summary>
    public TimeSpan ToTimeSpan(long timestampDelta) => TimeSpan.FromTicks((long)(timestampDelta * ((double)TimeSpan.TicksPerSecond / TimeProvider.TimestampFrequency)));

    public IReadOnlyList<RedlockNodeReport> Report(NodeReply[] replies) => Nodes.Report(replies);
}
