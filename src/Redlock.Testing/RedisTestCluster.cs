using System.Globalization;
using RedlockAspects.Testing.Networking;
using RedlockAspects.Testing.Servers;

namespace RedlockAspects.Testing;

/// <summary>
/// A local Redis Cluster of <c>redis-server</c> masters (no replicas, no persistence) on loopback ports, for testing code
/// that must work when a Redlock node is a cluster. One cluster is one Redlock node: add its
/// <see cref="ConnectionString"/> to <see cref="RedlockOptions.Nodes"/>. Dispose it to kill every process and delete its files.
/// </summary>
/// <example>
/// <code>
/// await using var cluster = await RedisTestCluster.StartAsync(masters: 3);
/// var options = new RedlockOptions();
/// options.Nodes.Add(cluster.ConnectionString);
/// </code>
/// </example>
public sealed class RedisTestCluster : IAsyncDisposable
{
    private const int MaxMasters = 16;

    // Redis Cluster nodes talk to each other on their port + 10000.
    private const int BusPortOffset = 10000;

    private readonly RedisServerProcess[] _masters;
    private readonly TimeSpan _startTimeout;
    private int _disposed;

    private RedisTestCluster(RedisServerProcess[] masters, TimeSpan startTimeout)
    {
        _masters = masters;
        _startTimeout = startTimeout;
        Ports = Array.AsReadOnly(masters.Select(m => m.Port).ToArray());
        ConnectionString = string.Join(",", Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}")));
    }

    /// <summary>Each master's port, in slot order: master 0 serves the lowest slots.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Every master's endpoint, comma-separated (<c>"127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"</c>): one Redlock node string.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Starts <paramref name="masters"/> <c>redis-server --cluster-enabled yes</c> processes, splits the 16384 slots evenly
    /// between them, joins them, and returns once every master reports <c>cluster_state:ok</c>.
    /// </summary>
    /// <param name="masters">How many masters; 1 to 16, default 3.</param>
    /// <param name="options">The redis-server path and start timeout; the other settings do not apply. Defaults when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels start-up; whatever had started is stopped again.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="masters"/> is outside 1 to 16.</exception>
    /// <exception cref="InvalidOperationException">redis-server cannot be found, or a master failed to start.</exception>
    /// <exception cref="TimeoutException">The cluster did not form within the start timeout.</exception>
    public static async Task<RedisTestCluster> StartAsync(int masters = 3, RedisTestNodesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(masters, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(masters, MaxMasters);
        options ??= new RedisTestNodesOptions();
        var executable = RedisServerLocator.Resolve(options.RedisServerPath)
            ?? throw new InvalidOperationException(
                $"redis-server was not found: looked for {RedisServerLocator.DescribeSearch(options.RedisServerPath)}. " +
                "A Redis Cluster needs it (Debian/Ubuntu: apt-get install redis-server).");

        var launches = Enumerable.Range(0, masters).Select(_ => LaunchMasterAsync(executable, options.StartTimeout, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(launches).ConfigureAwait(false);
            var cluster = new RedisTestCluster([.. launches.Select(l => l.Result)], options.StartTimeout);
            try
            {
                await ClusterFormation.FormAsync(cluster.Ports, options.StartTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return cluster;
        }
        catch
        {
            foreach (var launch in launches.Where(l => l.IsCompletedSuccessfully))
            {
                await launch.Result.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Kills master <paramref name="index"/> and starts it again on its port, with no data (no persistence) but its cluster
    /// identity and slots; returns once every master reports <c>cluster_state:ok</c> again. A master that lost its keys,
    /// as after a crash of a node without persistence.
    /// </summary>
    /// <param name="index">The master, 0 to <see cref="Ports"/>.Count − 1.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> names no master.</exception>
    /// <exception cref="ObjectDisposedException">The cluster was disposed.</exception>
    public async Task RestartMasterAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _masters.Length);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var master = _masters[index];
        await master.KillAsync().ConfigureAwait(false);
        await PortRetry.OnSamePortAsync(master.StartAsync, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        await ClusterFormation.WaitUntilFormedAsync(Ports, _startTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills every master and deletes its files. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_masters.Select(m => m.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private static Task<RedisServerProcess> LaunchMasterAsync(string executable, TimeSpan startTimeout, CancellationToken cancellationToken) =>
        PortRetry.OnFreshPortAsync(
            async (port, ct) =>
            {
                // The bus port must be free as well; redis-server would fail on it only after starting.
                if (port + BusPortOffset > ushort.MaxValue || !LoopbackPorts.IsFree(port + BusPortOffset))
                {
                    throw new PortInUseException(port);
                }

                var master = new RedisServerProcess(executable, port, startTimeout,
                [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", string.Create(CultureInfo.InvariantCulture, $"nodes-{port}.conf"),
                ]);
                try
                {
                    await master.StartAsync(ct).ConfigureAwait(false);
                    return master;
                }
                catch
                {
                    await master.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken);
}
