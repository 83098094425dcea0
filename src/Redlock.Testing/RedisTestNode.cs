using System.Diagnostics;
using System.Globalization;
using RedlockAspects.Testing.Networking;
using RedlockAspects.Testing.Proxy;
using RedlockAspects.Testing.Servers;
using StackExchange.Redis;

namespace RedlockAspects.Testing;

/// <summary>
/// One Redis-protocol node of a <see cref="RedisTestNodes"/> group, with fault injection: kill, delayed restart,
/// pause, latency. Operations on one node run one at a time.
/// </summary>
public sealed class RedisTestNode
{
    // How long a restart keeps trying to get its old port back before giving up.
    private static readonly TimeSpan PortPatience = TimeSpan.FromSeconds(5);

    private readonly RedisTestNodes _owner;
    private readonly INodeServer _server;
    private readonly FaultProxy? _proxy;
    private readonly TimeSpan _clientPauseDuration;
    private readonly SemaphoreSlim _operations = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private const int NotPaused = -1;

    // A PauseMode as an int (NotPaused when not paused), so that it can be read without the operation lock.
    private int _pausedBy = NotPaused;
    private long _clientPauseEnds;
    private long _killedAt;

    // 1 between KillAsync and a successful RestartAsync (IsRunning alone cannot tell a kill from a crash).
    private int _down;
    private int _disposed;

    internal RedisTestNode(RedisTestNodes owner, int index, INodeServer server, FaultProxy? proxy, TimeSpan clientPauseDuration)
    {
        _owner = owner;
        Index = index;
        _server = server;
        _proxy = proxy;
        _clientPauseDuration = clientPauseDuration;
        DirectConnectionString = Endpoint(server.Port);
        ConnectionString = proxy is null ? DirectConnectionString : Endpoint(proxy.Port);
    }

    /// <summary>The node's position in <see cref="RedisTestNodes.Nodes"/>, from 0.</summary>
    public int Index { get; }

    /// <summary>The server this node runs.</summary>
    public RedisBackend Backend => _server.Backend;

    /// <summary>
    /// What clients use: <c>"127.0.0.1:port"</c>. With <see cref="RedisTestNodesOptions.FaultProxy"/> this is the proxy's
    /// port, so that pauses, latency and kills reach the client. It stays the same across restarts.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>The server's own <c>"127.0.0.1:port"</c>, bypassing the fault proxy (the same as <see cref="ConnectionString"/> without one).</summary>
    public string DirectConnectionString { get; }

    /// <summary>Whether a fault proxy stands in front of this node.</summary>
    public bool HasFaultProxy => _proxy is not null;

    /// <summary>The <c>redis-server</c> process id while it runs; <c>null</c> for Garnet (in process) or a killed node.</summary>
    public int? ProcessId => _server.ProcessId;

    /// <summary>Whether the server is up (a paused node is up). False after <see cref="KillAsync"/> until <see cref="RestartAsync"/>.</summary>
    public bool IsRunning => _server.IsRunning;

    /// <summary>
    /// Whether the node is paused. A <see cref="PauseMode.ClientPause"/> pause also ends by itself after
    /// <see cref="RedisTestNodesOptions.ClientPauseDuration"/>, and this turns false then.
    /// </summary>
    public bool IsPaused => PausedBy is { } mode
        && (mode != PauseMode.ClientPause || Stopwatch.GetTimestamp() < Interlocked.Read(ref _clientPauseEnds));

    /// <summary>
    /// Extra delay the fault proxy adds to every chunk of bytes in each direction (so a round trip gets at least twice
    /// this). Applies to bytes read after it is set; kept across restarts. Zero by default.
    /// </summary>
    /// <exception cref="NotSupportedException">Set to a non-zero value on a node without <see cref="RedisTestNodesOptions.FaultProxy"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public TimeSpan Latency
    {
        get => _proxy?.Latency ?? TimeSpan.Zero;
        set
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(Latency), value, "Latency must not be negative.");
            }

            if (_proxy is null)
            {
                if (value == TimeSpan.Zero)
                {
                    return;
                }

                throw new NotSupportedException("Latency is injected by the fault proxy: start the nodes with RedisTestNodesOptions.FaultProxy = true.");
            }

            _proxy.Latency = value;
        }
    }

    /// <summary>
    /// Stops the node hard: redis-server gets <c>SIGKILL</c>, Garnet is disposed, the proxy (if any) drops its
    /// connections and stops listening. Clients' connections drop and new ones are refused; the data is gone.
    /// Any pause ends. Does nothing on a node that is already down.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for another operation on this node; the kill itself is not interrupted.</param>
    public Task KillAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(
        _ => Volatile.Read(ref _down) != 0 ? Task.CompletedTask : TakeDownAsync(),
        cancellationToken);

    /// <summary>
    /// Starts an empty node on the same port, after waiting until <see cref="RedisTestNodes.RestartDelay"/> has passed
    /// since the kill.
    /// </summary>
    /// <remarks>
    /// The wait is the Redlock specification's "delayed restart". A node without persistence comes back empty, having
    /// forgotten the locks it granted; if it rejoins while one of those locks could still be valid, a second client can
    /// win a quorum that includes it, and two holders overlap. Keeping it out longer than the longest TTL in play
    /// prevents that, so tests that restart nodes should set the delay accordingly.
    /// </remarks>
    /// <param name="cancellationToken">Cancels the wait or the start; the node then stays down.</param>
    /// <exception cref="InvalidOperationException">The node is running, or its port was taken while it was down.</exception>
    public Task RestartAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(
        async token =>
        {
            if (_server.IsRunning)
            {
                throw new InvalidOperationException($"Node {Index} is running; kill it before restarting it.");
            }

            if (Volatile.Read(ref _down) == 0)
            {
                // The server died without KillAsync (a crash). We do not know when, so the delay counts from now:
                // later than the truth, which errs on the safe side.
                await TakeDownAsync().ConfigureAwait(false);
            }

            await WaitOutRestartDelayAsync(token).ConfigureAwait(false);
            await PortRetry.OnSamePortAsync(_server.StartAsync, PortPatience, token).ConfigureAwait(false);
            if (_proxy is not null)
            {
                try
                {
                    await PortRetry.OnSamePortAsync(_ => _proxy.ListenAsync(_proxy.Port), PortPatience, token).ConfigureAwait(false);
                }
                catch
                {
                    // Half a node (server up, clients' port closed) would confuse every later step; stay down instead.
                    await _server.KillAsync().ConfigureAwait(false);
                    throw;
                }
            }

            Volatile.Write(ref _down, 0);
        },
        cancellationToken);

    /// <summary>
    /// Makes the node stop answering without dropping connections; commands wait until <see cref="ResumeAsync"/>.
    /// Pausing again with the same mode does nothing.
    /// </summary>
    /// <param name="mode">How to pause; see <see cref="PauseMode"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotSupportedException">The mode does not work for this backend, or needs the fault proxy.</exception>
    /// <exception cref="InvalidOperationException">The node is down, or already paused with another mode.</exception>
    public Task PauseAsync(PauseMode mode = PauseMode.Default, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(mode);
        return ExclusiveAsync(
            async token =>
            {
                if (!_server.IsRunning)
                {
                    throw new InvalidOperationException($"Node {Index} is down; restart it before pausing it.");
                }

                if (IsPaused)
                {
                    if (PausedBy == resolved)
                    {
                        return;
                    }

                    throw new InvalidOperationException($"Node {Index} is already paused with {PausedBy}; resume it first.");
                }

                switch (resolved)
                {
                    case PauseMode.Signal:
                        await PosixSignals.StopAsync(RunningProcessId(), token).ConfigureAwait(false);
                        break;
                    case PauseMode.ClientPause:
                        var milliseconds = (long)Math.Ceiling(_clientPauseDuration.TotalMilliseconds);
                        await RespClient.SendAsync(
                            _server.Port,
                            ["CLIENT", "PAUSE", milliseconds.ToString(CultureInfo.InvariantCulture), "ALL"],
                            TimeSpan.FromSeconds(5),
                            token).ConfigureAwait(false);
                        Interlocked.Exchange(ref _clientPauseEnds, Stopwatch.GetTimestamp() + (long)(_clientPauseDuration.TotalSeconds * Stopwatch.Frequency));
                        break;
                    default:
                        _proxy!.Pause();
                        break;
                }

                Volatile.Write(ref _pausedBy, (int)resolved);
            },
            cancellationToken);
    }

    /// <summary>
    /// Ends a pause: the node answers everything it held, in order. Does nothing when the node is not paused.
    /// After a <see cref="PauseMode.ClientPause"/> pause this may return only when the pause runs out, because
    /// Redis 7.0 queues <c>CLIENT UNPAUSE</c> behind the pause like any other command.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(
        async token =>
        {
            switch (PausedBy)
            {
                case null:
                    return;
                case PauseMode.Signal:
                    await PosixSignals.ContinueAsync(RunningProcessId(), token).ConfigureAwait(false);
                    break;
                case PauseMode.ClientPause:
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Interlocked.Read(ref _clientPauseEnds));
                    if (remaining > TimeSpan.Zero)
                    {
                        await RespClient.SendAsync(_server.Port, ["CLIENT", "UNPAUSE"], remaining + TimeSpan.FromSeconds(5), token).ConfigureAwait(false);
                    }

                    break;
                default:
                    _proxy!.Resume();
                    break;
            }

            Volatile.Write(ref _pausedBy, NotPaused);
        },
        cancellationToken);

    /// <summary>
    /// Opens an admin connection straight to the server (bypassing the fault proxy, so it works while the proxy is
    /// paused or slowed), for tests to inspect or delete keys. The caller disposes it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the connection.</param>
    /// <exception cref="RedisConnectionException">The node is down or does not answer.</exception>
    public async Task<IConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var config = new ConfigurationOptions
        {
            AllowAdmin = true,
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ConnectTimeout = 5000,
            SyncTimeout = 5000,
            AsyncTimeout = 5000,
            ClientName = "redlock-testing-admin",
        };
        config.EndPoints.Add("127.0.0.1", _server.Port);
        var connecting = ConnectionMultiplexer.ConnectAsync(config);
        try
        {
            return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection may still arrive; nobody will own it, so close it then.
            _ = connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Backend} node {Index} at {ConnectionString}{(IsRunning ? string.Empty : " (down)")}{(IsPaused ? " (paused)" : string.Empty)}";

    /// <summary>Stops everything for good; waits for a running operation to notice.</summary>
    internal async Task ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await _operations.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_proxy is not null)
            {
                await _proxy.DisposeAsync().ConfigureAwait(false);
            }

            await _server.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _pausedBy, NotPaused);
        }
        finally
        {
            _operations.Release();
        }
    }

    // Proxy first, so that no client gets relayed to a dying server, and held bytes are dropped rather than delivered.
    private async Task TakeDownAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.StopAsync().ConfigureAwait(false);
        }

        await _server.KillAsync().ConfigureAwait(false);
        Volatile.Write(ref _pausedBy, NotPaused);
        Interlocked.Exchange(ref _killedAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref _down, 1);
    }

    private PauseMode? PausedBy => Volatile.Read(ref _pausedBy) is var mode and not NotPaused ? (PauseMode)mode : null;

    private static string Endpoint(int port) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");

    private async Task WaitOutRestartDelayAsync(CancellationToken cancellationToken)
    {
        // Read the delay on every turn, so that a change made while waiting counts; Task.Delay may wake a little
        // early, so the loop checks the clock again rather than trusting one delay.
        while (true)
        {
            var remaining = _owner.RestartDelay - Stopwatch.GetElapsedTime(Interlocked.Read(ref _killedAt));
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), cancellationToken).ConfigureAwait(false);
        }
    }

    private PauseMode Resolve(PauseMode mode)
    {
        switch (mode)
        {
            case PauseMode.Default:
                if (Backend == RedisBackend.Garnet && _proxy is null)
                {
                    throw new NotSupportedException(
                        "A Garnet node can only be paused by the fault proxy (Garnet runs in this process and has no CLIENT PAUSE): start the nodes with RedisTestNodesOptions.FaultProxy = true.");
                }

                return Backend == RedisBackend.RedisServer && PosixSignals.IsSupported ? PauseMode.Signal : Resolve(PauseMode.Proxy);
            case PauseMode.Signal:
                if (Backend == RedisBackend.Garnet)
                {
                    throw new NotSupportedException(
                        "PauseMode.Signal stops a process with SIGSTOP, but Garnet runs inside this process. Use PauseMode.Proxy with RedisTestNodesOptions.FaultProxy = true.");
                }

                if (!PosixSignals.IsSupported)
                {
                    throw new NotSupportedException("PauseMode.Signal needs Linux, macOS or FreeBSD. Use PauseMode.ClientPause or PauseMode.Proxy.");
                }

                return mode;
            case PauseMode.ClientPause:
                if (Backend == RedisBackend.Garnet)
                {
                    throw new NotSupportedException("Garnet has no CLIENT PAUSE. Use PauseMode.Proxy with RedisTestNodesOptions.FaultProxy = true.");
                }

                return mode;
            case PauseMode.Proxy:
                if (_proxy is null)
                {
                    throw new NotSupportedException("PauseMode.Proxy needs the fault proxy: start the nodes with RedisTestNodesOptions.FaultProxy = true.");
                }

                return mode;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pause mode.");
        }
    }

    private int RunningProcessId() =>
        _server.ProcessId ?? throw new InvalidOperationException($"Node {Index} has no running process.");

    private async Task ExclusiveAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            await _operations.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(ToString(), "The nodes were disposed.");
        }

        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _disposing.IsCancellationRequested)
        {
            throw new ObjectDisposedException(ToString(), "The nodes were disposed.");
        }
        finally
        {
            _operations.Release();
        }
    }
}
