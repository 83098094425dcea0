using System.Net;
using System.Net.Sockets;

namespace RedlockAspects.Testing.Networking;

/// <summary>Picks loopback TCP ports for servers and proxies.</summary>
internal static class LoopbackPorts
{
    // Ports below this are left alone: well-known services and common dev servers live there.
    private const int LowestCandidate = 20000;

    private static readonly Lazy<int> EphemeralStart = new(ReadEphemeralStart);

    /// <summary>
    /// Returns a port that was free a moment ago. Callers must still tolerate losing it to someone else before they
    /// bind it (see <see cref="PortInUseException"/>).
    /// </summary>
    public static int PickFree()
    {
        // A server port inside the ephemeral range can be taken, while its node is down, by the local end of some
        // outgoing connection, and then the node cannot restart on it. So prefer ports below that range.
        var ceiling = EphemeralStart.Value;
        if (ceiling - LowestCandidate >= 1000)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var port = Random.Shared.Next(LowestCandidate, ceiling);
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Whether a listener could bind 127.0.0.1:<paramref name="port"/> right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) says an address is already in use.</summary>
    public static bool IsAddressInUse(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || e.Message.Contains("AddressAlreadyInUse", StringComparison.Ordinal)
                || e.Message.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int ReadEphemeralStart()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            if (File.Exists(RangeFile))
            {
                var parts = File.ReadAllText(RangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 1 && int.TryParse(parts[0], out var start))
                {
                    return start;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        // IANA's dynamic range starts at 49152 (Windows and macOS use it).
        return 49152;
    }
}
