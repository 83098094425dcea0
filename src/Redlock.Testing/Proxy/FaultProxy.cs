using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RedlockAspects.Testing.Networking;

namespace RedlockAspects.Testing.Proxy;

/// <summary>
/// A TCP relay in front of one server: clients connect to <see cref="Port"/>, the proxy connects them on to the
/// server's port. It can hold traffic (pause), delay it (latency), and drop every connection (kill).
/// </summary>
internal sealed class FaultProxy(int serverPort) : IAsyncDisposable
{
    private readonly PauseGate _gate = new();
    private readonly ConcurrentDictionary<Task, byte> _relays = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private long _latencyTicks;
    private Socket? _listener;
    private CancellationTokenSource? _generation;
    private Task? _acceptLoop;

    /// <summary>The port clients connect to; 0 until the first <see cref="ListenAsync"/>.</summary>
    public int Port { get; private set; }

    public bool IsPaused => _gate.IsClosed;

    /// <summary>The delay added to every chunk of bytes, in each direction.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Starts accepting on <paramref name="port"/> (0: the port used before, or a newly picked one).</summary>
    /// <exception cref="PortInUseException">The port is taken.</exception>
    public async Task ListenAsync(int port)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_listener is not null)
            {
                throw new InvalidOperationException("The proxy is already listening.");
            }

            var chosen = port != 0 ? port : Port != 0 ? Port : LoopbackPorts.PickFree();
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // Lets the proxy listen again on its old port right after a kill, while closed connections linger.
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, chosen));
                listener.Listen(512);
            }
            catch (SocketException e)
            {
                listener.Dispose();
                throw e.SocketErrorCode == SocketError.AddressAlreadyInUse ? new PortInUseException(chosen, e) : e;
            }

            Port = chosen;
            _listener = listener;
            _generation = new CancellationTokenSource();
            _acceptLoop = AcceptLoopAsync(listener, _generation.Token);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops accepting and drops every relayed connection; returns once they are all closed.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_listener is null)
            {
                return;
            }

            // Cancelling the generation aborts every relay of it, including one accepted in this very moment.
            await _generation!.CancelAsync().ConfigureAwait(false);
            _listener.Dispose();
            await _acceptLoop!.ConfigureAwait(false);
            await Task.WhenAll(_relays.Keys).ConfigureAwait(false);
            _generation.Dispose();
            _listener = null;
            _generation = null;
            _acceptLoop = null;

            // A stopped proxy holds nothing; the node comes back unpaused.
            _gate.Open();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public void Pause() => _gate.Close();

    public void Resume() => _gate.Open();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _lifecycle.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                // A connection that failed while being accepted (the client gave up), or a passing shortage of file
                // descriptors: keep accepting, without spinning.
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var relay = RelayAsync(client, stop);
            _relays.TryAdd(relay, 0);
            _ = relay.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _relays, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken stop)
    {
        client.NoDelay = true;
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, serverPort), stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server is down: the client's connection fails, as it would without the proxy.
            server.Dispose();
            try
            {
                client.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
            }

            client.Dispose();
            return;
        }

        await new RelayConnection(client, server, _gate, () => Latency).RunAsync(stop).ConfigureAwait(false);
    }
}
