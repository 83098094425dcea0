using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedlockAspects.Algorithm;
using RedlockAspects.Nodes;

namespace RedlockAspects;

/// <summary>
/// The Redlock engine over StackExchange.Redis. One instance per application (it is thread-safe); it opens a
/// connection per configured node and disposes only the connections it opened.
/// </summary>
public sealed class RedlockEngine : IRedlock, IAsyncDisposable, IDisposable
{
    private readonly EngineContext _context;
    private int _disposed;

    /// <summary>
    /// Creates the engine and starts connecting to the nodes in <paramref name="options"/>, without waiting for them: a node
    /// that is down or frozen never stalls the constructor; it takes part once it answers. Connections are opened and the
    /// lock scripts loaded in the background, so the first acquisition costs what later ones do.
    /// </summary>
    /// <param name="options">The settings; checked with <see cref="RedlockOptions.Validate"/>.</param>
    /// <param name="loggerFactory">Where to log; none by default.</param>
    /// <param name="timeProvider">The clock for timeouts, validity and extension; the system clock by default.</param>
    /// <exception cref="InvalidOperationException">The options are invalid (for example, no nodes, or a node string that is not an endpoint).</exception>
    public RedlockEngine(RedlockOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var nodes = NodeSet.Open(options);

        var logger = (ILogger?)loggerFactory?.CreateLogger<RedlockEngine>() ?? NullLogger.Instance;
        _context = new EngineContext(nodes, options, timeProvider ?? TimeProvider.System, logger);
        RedlockLog.Started(logger, nodes.Count, string.Join(", ", nodes.Select(n => n.Name)), nodes.Quorum, RedlockOptionsSummary.Describe(options));
    }

    /// <summary>The configured nodes, as endpoints.</summary>
    public IReadOnlyList<string> Nodes => _context.Nodes.Select(n => n.Name).ToArray();

    /// <summary>How many nodes must agree: N/2 + 1.</summary>
    public int Quorum => _context.Quorum;

    /// <summary>
    /// Each node as the engine last saw it, in node order: up or down, its last round trip, and why it is down. Learned
    /// from the commands the engine sends anyway and from the connections' events; reading it sends nothing.
    /// </summary>
    public IReadOnlyList<RedlockNodeStatus> NodeStatus => _context.Nodes.Select(n => n.Health.Snapshot()).ToArray();

    /// <summary>
    /// Each node's status, as <see cref="NodeStatus"/>, after pinging the nodes the engine has not heard from or about
    /// within <paramref name="maxAge"/> (under <see cref="RedlockOptions.NodeTimeout"/>). A busy engine knows every node
    /// already and sends nothing. This is what the health check (<c>AddHealthChecks().AddRedlock()</c>) calls.
    /// </summary>
    /// <param name="maxAge">How old the last word from a node may be; <see cref="TimeSpan.Zero"/> pings every node.</param>
    /// <param name="cancellationToken">Stops waiting for the pings.</param>
    /// <returns>Each node's status, in node order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is negative.</exception>
    public async Task<IReadOnlyList<RedlockNodeStatus>> CheckNodesAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var stale = _context.Nodes.Where(n => n.Health.IsStale(maxAge)).ToArray();
        if (stale.Length > 0)
        {
            await QuorumRound<TimeSpan>.RunAsync(
                stale, stale.Length, waitForAll: true, _context.NodeTimeout, _context.TimeProvider,
                NodeCommands.Ping, NodeCommands.PingReply, 0).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return NodeStatus;
    }

    /// <inheritdoc />
    public Task<RedlockLease> AcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
        AcquireCoreAsync([CheckResource(resource)], ttl, options, throwWhenBusy: true, cancellationToken)!;

    /// <inheritdoc />
    public Task<RedlockLease?> TryAcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
        AcquireCoreAsync([CheckResource(resource)], ttl, options, throwWhenBusy: false, cancellationToken);

    /// <inheritdoc />
    public Task<RedlockLease> AcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
        AcquireCoreAsync(CheckResources(resources), ttl, options, throwWhenBusy: true, cancellationToken)!;

    /// <inheritdoc />
    public Task<RedlockLease?> TryAcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
        AcquireCoreAsync(CheckResources(resources), ttl, options, throwWhenBusy: false, cancellationToken);

    /// <inheritdoc />
    public Task<RedlockInspection> InspectAsync(string resource, CancellationToken cancellationToken = default)
    {
        CheckResource(resource);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return LockInspection.RunAsync(_context, resource, cancellationToken);
    }

    /// <summary>Closes the connections the engine opened. Leases still held expire with their TTL.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the connections the engine opened. Leases still held expire with their TTL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _context.Watch.Dispose();
            await _context.Wakes.DisposeAsync().ConfigureAwait(false);
            await _context.Nodes.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<RedlockLease?> AcquireCoreAsync(string[] resources, TimeSpan ttl, RedlockAcquireOptions? options, bool throwWhenBusy, CancellationToken cancellationToken)
    {
        ttl = LeaseDurations.CheckTtl(ttl, nameof(ttl), _context.DriftFactor, _context.MinValidity);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        options ??= RedlockAcquireOptions.Default;
        if (options.Fair && (resources.Length > 1 || options.Fencing || _context.Holder is not null))
        {
            throw new ArgumentException(
                $"RedlockAcquireOptions.Fair is supported for one resource, without Fencing and without RedlockOptions.HolderName; this request has {resources.Length} resource(s), Fencing = {options.Fencing}, HolderName {(_context.Holder is null ? "unset" : "set")}.",
                nameof(options));
        }

        // Deliberately not async: the flow's lease map must be updated in the caller's execution context (FlowLeases).
        var flow = FlowLeases.Snapshot();
        if (options.Reentrant)
        {
            var (covering, held) = FlowLeases.Find(flow, _context, resources);
            if (covering is not null && covering.TryAddHold())
            {
                // This flow already holds it: the same lease, one more hold, no round trip.
                return Task.FromResult<RedlockLease?>(covering);
            }

            if (covering is null && held.Length > 0)
            {
                return Task.FromException<RedlockLease?>(new RedlockOverlapException(resources, held));
            }
        }

        var slot = FlowLeases.Begin(flow, _context);
        var acquisition = QuorumAcquire.RunAsync(_context, resources, ttl, options, throwWhenBusy, cancellationToken);
        return FlowLeases.CompleteAsync(slot, acquisition, flow, _context, resources);
    }

    private static string CheckResource(string resource)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        return resource;
    }

    private static string[] CheckResources(IReadOnlyList<string> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Count == 0)
        {
            throw new ArgumentException("At least one resource is required.", nameof(resources));
        }

        var copy = new string[resources.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < copy.Length; i++)
        {
            var resource = resources[i];
            if (string.IsNullOrEmpty(resource))
            {
                throw new ArgumentException($"Resource {i} is null or empty.", nameof(resources));
            }

            if (!seen.Add(resource))
            {
                throw new ArgumentException($"Resource '{resource}' is listed twice.", nameof(resources));
            }

            copy[i] = resource;
        }

        return copy;
    }
}
