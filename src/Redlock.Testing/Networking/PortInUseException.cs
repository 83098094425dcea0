namespace RedlockAspects.Testing.Networking;

/// <summary>A server or proxy could not listen because its port was taken; the caller may retry.</summary>
internal sealed class PortInUseException(int port, Exception? inner = null)
    : Exception($"Port {port} on 127.0.0.1 is already in use.", inner)
{
    public int Port { get; } = port;
}
