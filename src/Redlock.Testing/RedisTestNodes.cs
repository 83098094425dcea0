using RedlockAspects.Testing.Servers;

namespace RedlockAspects.Testing;

/// <summary>
/// A group of independent Redis-protocol nodes on loopback ports, for tests and samples: embedded Garnet servers
/// or <c>redis-server</c> processes, each with optional fault injection (see <see cref="RedisTestNode"/>).
/// Dispose it to stop every server, kill every process and free every port.
/// </summary>
/// <example>
/// <code>
/// await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3);
/// var options = nodes.CreateRedlockOptions();
/// await nodes.Nodes[0].KillAsync();
/// </code>
/// </example>
public sealed class RedisTestNodes : IAsyncDisposable
{
    private readonly RedisTestNode[] _nodes;
    private long _restartDelayTicks;
    private int _disposed;

    private RedisTestNodes(RedisBackend backend, int count, TimeSpan restartDelay)
    {
        Backend = backend;
        _nodes = new RedisTestNode[count];
        _restartDelayTicks = restartDelay.Ticks;
    }

    /// <summary>The server every node of this group runs.</summary>
    public RedisBackend Backend { get; }

    /// <summary>The nodes, in index order.</summary>
    public IReadOnlyList<RedisTestNode> Nodes => _nodes;

    /// <summary>Each node's <see cref="RedisTestNode.ConnectionString"/> (<c>"127.0.0.1:port"</c>; the proxy's port when there is a fault proxy).</summary>
    public IReadOnlyList<string> ConnectionStrings { get; private set; } = [];

    /// <summary>
    /// The shortest time a killed node stays down before <see cref="RedisTestNode.RestartAsync"/> brings it back
    /// (see there for why). Starts as <see cref="RedisTestNodesOptions.RestartDelay"/>; a change applies to restarts
    /// already waiting too.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan RestartDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _restartDelayTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _restartDelayTicks, value.Ticks);
        }
    }

    /// <summary>Starts <paramref name="count"/> empty nodes of <paramref name="backend"/>, each on its own loopback port, and waits until all answer.</summary>
    /// <param name="backend">Garnet in process, or redis-server processes.</param>
    /// <param name="count">How many nodes; at least 1.</param>
    /// <param name="options">Fault proxy, restart delay, redis-server path; defaults when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels start-up; whatever had started is stopped again.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or <paramref name="backend"/> is unknown.</exception>
    /// <exception cref="InvalidOperationException">redis-server was asked for and cannot be found, or a server failed to start.</exception>
    public static async Task<RedisTestNodes> StartAsync(RedisBackend backend, int count, RedisTestNodesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(backend))
        {
            throw new ArgumentOutOfRangeException(nameof(backend), backend, "Unknown backend.");
        }

        options ??= new RedisTestNodesOptions();
        string? redisServerPath = null;
        if (backend == RedisBackend.RedisServer)
        {
            redisServerPath = RedisServerLocator.Resolve(options.RedisServerPath)
                ?? throw new InvalidOperationException(
                    $"redis-server was not found: looked for {RedisServerLocator.DescribeSearch(options.RedisServerPath)}. " +
                    "Install it (Debian/Ubuntu: apt-get install redis-server) or use RedisBackend.Garnet.");
        }

        var group = new RedisTestNodes(backend, count, options.RestartDelay);
        var launches = Enumerable.Range(0, count)
            .Select(_ => NodeLauncher.LaunchAsync(backend, redisServerPath, options, cancellationToken))
            .ToArray();
        try
        {
            await Task.WhenAll(launches).ConfigureAwait(false);
        }
        catch
        {
            // Some nodes may have started; stop them before reporting the failure.
            foreach (var launch in launches.Where(l => l.IsCompletedSuccessfully))
            {
                var (server, proxy) = launch.Result;
                if (proxy is not null)
                {
                    await proxy.DisposeAsync().ConfigureAwait(false);
                }

                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        for (var i = 0; i < count; i++)
        {
            var (server, proxy) = launches[i].Result;
            group._nodes[i] = new RedisTestNode(group, i, server, proxy, options.ClientPauseDuration);
        }

        group.ConnectionStrings = Array.AsReadOnly(group._nodes.Select(n => n.ConnectionString).ToArray());
        return group;
    }

    /// <summary>
    /// Whether <c>redis-server</c> can be found: <paramref name="redisServerPath"/> (a path, or a name looked up on
    /// <c>PATH</c>), else the <c>REDIS_SERVER_PATH</c> environment variable, else <c>redis-server</c> on <c>PATH</c>.
    /// </summary>
    /// <param name="redisServerPath">The executable to check; <c>null</c> for the default search.</param>
    public static bool IsRedisServerAvailable(string? redisServerPath = null) => RedisServerLocator.Resolve(redisServerPath) is not null;

    /// <summary>
    /// New engine options whose <see cref="RedlockOptions.Nodes"/> are this group's <see cref="ConnectionStrings"/>,
    /// everything else at its default. Each call returns a new instance to adjust freely.
    /// </summary>
    public RedlockOptions CreateRedlockOptions()
    {
        var options = new RedlockOptions();
        foreach (var connectionString in ConnectionStrings)
        {
            options.Nodes.Add(connectionString);
        }

        return options;
    }

    /// <summary>Stops every node (Garnet disposed, redis-server killed and reaped, proxies closed), frees the ports and deletes temporary files. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_nodes.Select(n => n.ShutdownAsync())).ConfigureAwait(false);
    }
}
