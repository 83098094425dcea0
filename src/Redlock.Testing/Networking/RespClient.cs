using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RedlockAspects.Testing.Networking;

/// <summary>
/// Sends one command on a fresh connection and reads one reply. Used for readiness checks and control commands,
/// where a full client (reconnects, background threads, handshake commands) would only get in the way.
/// </summary>
internal static class RespClient
{
    /// <summary>Sends <paramref name="args"/> to 127.0.0.1:<paramref name="port"/> and returns the reply as text (null for a nil bulk string).</summary>
    /// <exception cref="TimeoutException">No complete reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The server answered with an error.</exception>
    /// <exception cref="SocketException">The connection failed.</exception>
    public static Task<string?> SendAsync(int port, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(port, args, timeout, password: null, cancellationToken);

    /// <summary>As the other overload, authenticating first with <paramref name="password"/> when it is not <c>null</c>.</summary>
    public static async Task<string?> SendAsync(int port, IReadOnlyList<string> args, TimeSpan timeout, string? password, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeoutCts.Token).ConfigureAwait(false);
            if (password is not null)
            {
                await SendAllAsync(socket, Encode(["AUTH", password]), timeoutCts.Token).ConfigureAwait(false);
                await ReadReplyAsync(socket, timeoutCts.Token).ConfigureAwait(false);
            }

            await SendAllAsync(socket, Encode(args), timeoutCts.Token).ConfigureAwait(false);
            return await ReadReplyAsync(socket, timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No reply to {args[0]} from 127.0.0.1:{port} within {timeout.TotalMilliseconds:0} ms.");
        }
    }

    private static byte[] Encode(IReadOnlyList<string> args)
    {
        var text = new StringBuilder();
        text.Append('*').Append(args.Count.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var arg in args)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(arg).ToString(CultureInfo.InvariantCulture)).Append("\r\n").Append(arg).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private static async Task<string?> ReadReplyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The server closed the connection before replying.");
            }

            received.Write(buffer, 0, read);
            if (TryParse(received.GetBuffer().AsSpan(0, (int)received.Length), out var reply))
            {
                return reply;
            }
        }
    }

    // Only the reply shapes our control commands get back: simple string, error, integer, bulk string.
    private static bool TryParse(ReadOnlySpan<byte> data, out string? reply)
    {
        reply = null;
        var lineEnd = data.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return false;
        }

        var line = Encoding.UTF8.GetString(data[1..lineEnd]);
        switch ((char)data[0])
        {
            case '+':
            case ':':
                reply = line;
                return true;
            case '-':
                throw new InvalidOperationException("The server replied with an error: " + line);
            case '$':
                var length = int.Parse(line, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return true;
                }

                var start = lineEnd + 2;
                if (data.Length < start + length + 2)
                {
                    return false;
                }

                reply = Encoding.UTF8.GetString(data.Slice(start, length));
                return true;
            default:
                throw new InvalidOperationException($"Unexpected reply type '{(char)data[0]}'.");
        }
    }
}
