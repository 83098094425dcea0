using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace RedlockAspects.Testing.Tests;

/// <summary>Client connections the tests use: a StackExchange.Redis client as a user would make one, and raw sockets.</summary>
internal static class TestClients
{
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString, int asyncTimeoutMs = 15000)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        options.AsyncTimeout = asyncTimeoutMs;
        options.SyncTimeout = asyncTimeoutMs;

        // Like the engine: a command to a node that is down fails at once instead of waiting for a reconnect.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public static (string Host, int Port) Parse(string connectionString)
    {
        var colon = connectionString.LastIndexOf(':');
        return (connectionString[..colon], int.Parse(connectionString[(colon + 1)..]));
    }

    public static async Task<Socket> OpenRawAsync(string connectionString)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Parse(connectionString).Port));
        return socket;
    }

    /// <summary>Sends PING on a raw socket and returns the reply line.</summary>
    public static async Task<string> PingRawAsync(Socket socket)
    {
        await socket.SendAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
    }

    /// <summary>Whether the peer closed (end of stream or reset) within <paramref name="within"/>.</summary>
    public static async Task<bool> IsDroppedAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[64];
        try
        {
            var read = await socket.ReceiveAsync(buffer).WaitAsync(within);
            return read == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public static async Task<bool> CanConnectAsync(string connectionString)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Parse(connectionString).Port)).WaitAsync(TimeSpan.FromSeconds(30));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
