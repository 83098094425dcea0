using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Cluster;

/// <summary>
/// Three Redlock nodes of which the middle one is a local Redis Cluster of three masters, the others plain
/// redis-server nodes; started once for a test class (a cluster costs a few processes and a second or two to form).
/// Tests use unique resource names, so they can share it.
/// </summary>
public sealed class ClusterBed : IAsyncLifetime
{
    public const int Masters = 3;

    private readonly List<RedlockEngine> _engines = [];
    private RedisTestCluster? _cluster;
    private RedisTestNodes? _singles;
    private ConnectionMultiplexer? _clusterAdmin;
    private readonly List<ConnectionMultiplexer> _singleAdmins = [];

    public RedisTestCluster Cluster => _cluster ?? throw new InvalidOperationException("redis-server is not installed.");

    /// <summary>A direct connection to the cluster, for looking at keys and slots.</summary>
    public IConnectionMultiplexer ClusterConnection => _clusterAdmin ?? throw new InvalidOperationException("redis-server is not installed.");

    /// <summary>The node strings in engine order: plain node, cluster, plain node.</summary>
    public IReadOnlyList<string> NodeStrings { get; private set; } = [];

    public async Task InitializeAsync()
    {
        // Tests that need redis-server are skipped where it is missing; their fixture then has nothing to start.
        if (!AvailableBackends.RedisRequired && !RedisTestNodes.IsRedisServerAvailable())
        {
            return;
        }

        var cluster = RedisTestCluster.StartAsync(Masters);
        var singles = RedisTestNodes.StartAsync(RedisBackend.RedisServer, 2);
        try
        {
            await Task.WhenAll(cluster, singles);
        }
        finally
        {
            _cluster = cluster.IsCompletedSuccessfully ? cluster.Result : null;
            _singles = singles.IsCompletedSuccessfully ? singles.Result : null;
        }

        NodeStrings = [_singles!.ConnectionStrings[0], _cluster!.ConnectionString, _singles.ConnectionStrings[1]];
        _clusterAdmin = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        foreach (var single in _singles.ConnectionStrings)
        {
            _singleAdmins.Add(await ConnectionMultiplexer.ConnectAsync(single));
        }
    }

    /// <summary>An engine over the three nodes, with short retry delays and a node timeout that tolerates a loaded machine.</summary>
    public RedlockEngine Engine(Action<RedlockOptions>? configure = null)
    {
        var options = new RedlockOptions
        {
            NodeTimeout = TimeSpan.FromSeconds(2),
            RetryDelay = TimeSpan.FromMilliseconds(20),
            RetryJitter = TimeSpan.FromMilliseconds(10),
        };
        foreach (var node in NodeStrings)
        {
            options.Nodes.Add(node);
        }

        configure?.Invoke(options);
        var engine = new RedlockEngine(options);
        lock (_engines)
        {
            _engines.Add(engine);
        }

        return engine;
    }

    /// <summary>The value of <paramref name="key"/> on each node, in engine order (the cluster routes by slot).</summary>
    public async Task<string?[]> ValuesAsync(string key) =>
    [
        await _singleAdmins[0].GetDatabase().StringGetAsync(key),
        await ClusterConnection.GetDatabase().StringGetAsync(key),
        await _singleAdmins[1].GetDatabase().StringGetAsync(key),
    ];

    /// <summary>The slot of <paramref name="key"/> and the master that serves it.</summary>
    public (int Slot, string Master) Locate(string key)
    {
        var slot = ClusterConnection.HashSlot(key);
        var config = ClusterConnection.GetServer(ClusterConnection.GetEndPoints()[0]).ClusterConfiguration
            ?? throw new InvalidOperationException("The cluster connection has no cluster configuration.");
        return (slot, config.GetBySlot(slot)?.EndPoint?.ToString() ?? "unknown");
    }

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        if (_clusterAdmin is not null)
        {
            await _clusterAdmin.DisposeAsync();
        }

        foreach (var admin in _singleAdmins)
        {
            await admin.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_singles is not null)
        {
            await _singles.DisposeAsync();
        }
    }
}
