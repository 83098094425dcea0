using Microsoft.Extensions.Logging;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>A set of real nodes plus the engines a test builds over them; disposes all of it.</summary>
public sealed class LockBed : IAsyncDisposable
{
    private readonly List<RedlockEngine> _engines = [];
    private readonly Dictionary<int, IConnectionMultiplexer> _admin = [];

    private LockBed(RedisTestNodes nodes)
    {
        Nodes = nodes;
    }

    public RedisTestNodes Nodes { get; }

    public static async Task<LockBed> StartAsync(RedisBackend backend, int nodeCount, bool faultProxy = false, TimeSpan? restartDelay = null)
    {
        var nodes = await RedisTestNodes.StartAsync(backend, nodeCount, new RedisTestNodesOptions
        {
            FaultProxy = faultProxy,
            RestartDelay = restartDelay ?? TimeSpan.Zero,
        });
        return new LockBed(nodes);
    }

    /// <summary>
    /// An engine over all nodes. Tests get short retry delays so that waits end quickly, and a node timeout long enough
    /// that a loaded machine does not turn a busy lock into "no quorum"; tests about slow nodes set their own.
    /// </summary>
    public RedlockEngine Engine(Action<RedlockOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var options = Nodes.CreateRedlockOptions();
        options.NodeTimeout = TimeSpan.FromSeconds(1);
        options.RetryDelay = TimeSpan.FromMilliseconds(20);
        options.RetryJitter = TimeSpan.FromMilliseconds(10);
        configure?.Invoke(options);
        var engine = new RedlockEngine(options, loggerFactory);
        _engines.Add(engine);
        return engine;
    }

    /// <summary>A direct connection to one node, bypassing any fault proxy, for looking at the keys.</summary>
    public async Task<IDatabase> NodeAsync(int index)
    {
        if (_admin.TryGetValue(index, out var connection) && !connection.IsConnected)
        {
            // The node was killed and restarted: start afresh rather than wait for the reconnect heartbeat.
            await connection.DisposeAsync();
            _admin.Remove(index);
        }

        if (!_admin.TryGetValue(index, out connection))
        {
            connection = await Nodes.Nodes[index].ConnectAsync();
            _admin[index] = connection;
        }

        return connection.GetDatabase();
    }

    /// <summary>The value of <paramref name="key"/> on every running node, in node order (null where absent or down).</summary>
    public async Task<string?[]> ValuesAsync(string key)
    {
        var values = new string?[Nodes.Nodes.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (Nodes.Nodes[i].IsRunning && !Nodes.Nodes[i].IsPaused)
            {
                values[i] = await (await NodeAsync(i)).StringGetAsync(key);
            }
        }

        return values;
    }

    /// <summary>
    /// Waits until no running node has <paramref name="key"/>. Releases return once a quorum confirms, so the last
    /// node may apply the delete a moment later; a key that stays (until its TTL) still fails this.
    /// </summary>
    public Task GoneEverywhereAsync(string key) =>
        Eventually.TrueAsync(async () => (await ValuesAsync(key)).All(v => v is null), TimeSpan.FromSeconds(10), $"'{key}' is still held on some node");

    /// <summary>
    /// Waits until every node holds <paramref name="key"/> with <paramref name="token"/>. An acquire returns once a quorum
    /// granted it; the last node's SET may land a moment later, and a test that changes the keys by hand must not race it.
    /// </summary>
    public Task HeldEverywhereAsync(string key, string token)
    {
        string?[] values = [];
        return Eventually.TrueAsync(
            async () => (values = await ValuesAsync(key)).All(v => v == token),
            TimeSpan.FromSeconds(15),
            () => $"'{key}' is not held on every node by {token}: the nodes hold {string.Join(", ", values.Select(v => v ?? "nothing"))}");
    }

    /// <summary>
    /// Waits until a quorum of nodes holds <paramref name="key"/> with <paramref name="token"/>: all a handed-over fair lease
    /// promises. On a loaded machine a waiter's attempt can outlast the node timeout on one node; the attempt's undo then
    /// reaches that node after a release has handed it the key there, and rightly deletes it (docs/fairness.md).
    /// </summary>
    public Task HeldOnQuorumAsync(string key, string token) =>
        Eventually.TrueAsync(async () => await HoldersAsync(key, token) >= Nodes.Nodes.Count / 2 + 1, TimeSpan.FromSeconds(15), $"'{key}' is not held on a quorum of nodes by {token}");

    /// <summary>
    /// The value of <paramref name="key"/> on every node, read on the direct connections, so past a paused fault proxy
    /// (which <see cref="ValuesAsync"/> leaves out, since the engines cannot see through it either).
    /// </summary>
    public async Task<RedisValue[]> DirectValuesAsync(string key)
    {
        var values = new RedisValue[Nodes.Nodes.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = await (await NodeAsync(i)).StringGetAsync(key);
        }

        return values;
    }

    /// <summary>How many nodes hold <paramref name="key"/> with <paramref name="token"/>.</summary>
    public async Task<int> HoldersAsync(string key, string token) => (await ValuesAsync(key)).Count(v => v == token);

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        foreach (var connection in _admin.Values)
        {
            await connection.DisposeAsync();
        }

        await Nodes.DisposeAsync();
    }
}
