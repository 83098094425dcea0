using System.Globalization;
using Garnet;
using RedlockAspects.Testing.Networking;

namespace RedlockAspects.Testing.Servers;

/// <summary>A Garnet server inside this process.</summary>
internal sealed class GarnetNodeServer(int port) : INodeServer
{
    private GarnetServer? _server;

    public RedisBackend Backend => RedisBackend.Garnet;

    public int Port { get; } = port;

    public bool IsRunning => Volatile.Read(ref _server) is not null;

    public int? ProcessId => null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            if (IsRunning)
            {
                throw new InvalidOperationException("The Garnet server is already running.");
            }

            var server = new GarnetServer(Arguments(Port));
            try
            {
                server.Start();
            }
            catch (Exception e)
            {
                server.Dispose();
                if (LoopbackPorts.IsAddressInUse(e))
                {
                    throw new PortInUseException(Port, e);
                }

                throw;
            }

            Volatile.Write(ref _server, server);
        },
        cancellationToken);

    public async Task KillAsync()
    {
        // Dispose closes the listener and every client socket at once (clients see end-of-stream), and throws the data away.
        if (Interlocked.Exchange(ref _server, null) is not { } server)
        {
            return;
        }

        server.Dispose();

        // On a loaded machine the listening socket can outlive Dispose for a moment; a killed node's port must be free
        // when this returns, as a killed process's is.
        var deadline = DateTime.UtcNow + PortReleaseTimeout;
        while (!LoopbackPorts.IsFree(Port) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan PortReleaseTimeout = TimeSpan.FromSeconds(5);

    public ValueTask DisposeAsync() => new(KillAsync());

    private static string[] Arguments(int port) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",

        // Lua on, and in transaction mode: without it Garnet does not run a script atomically, and a
        // compare-and-delete could interleave with another client's write.
        "--lua", "true",
        "--lua-transaction-mode", "true",

        // -q drops the banner Garnet prints to the console on start; no logger is passed, and the level is None.
        "-q",
        "--logger-level", "None",

        // Memory only, never disk: a killed node comes back empty, like a redis-server without persistence.
        "--aof", "false",
        "--storage-tier", "false",
        "--recover", "false",

        // Small sizes so that dozens of nodes fit in one test process: the hash index is allocated up front
        // (the 128 MB default would be per node); log pages are allocated only as they fill (64 MB is a ceiling).
        "--index", "1m",
        "--memory", "64m",
        "--page", "1m",
    ];
}
