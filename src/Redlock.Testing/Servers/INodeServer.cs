namespace RedlockAspects.Testing.Servers;

/// <summary>One Redis-protocol server listening on a fixed loopback port, which can be killed and started again.</summary>
internal interface INodeServer : IAsyncDisposable
{
    RedisBackend Backend { get; }

    /// <summary>The port the server itself listens on (the proxy, if any, listens elsewhere).</summary>
    int Port { get; }

    bool IsRunning { get; }

    /// <summary>The operating-system process, for a server that runs in its own process and is running.</summary>
    int? ProcessId { get; }

    /// <summary>Starts an empty server on <see cref="Port"/>.</summary>
    /// <exception cref="Networking.PortInUseException">Someone else holds the port; the caller may retry.</exception>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the server abruptly: its connections drop and its data is gone. Does nothing if it is not running.</summary>
    Task KillAsync();
}
