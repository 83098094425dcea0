using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace RedlockAspects.Testing.Proxy;

/// <summary>
/// Relays one client connection to the server and back, byte for byte and in order, applying the proxy's
/// pause gate and latency to each direction.
/// </summary>
internal sealed class RelayConnection(Socket client, Socket server, PauseGate gate, Func<TimeSpan> latency)
{
    private const int ChunkSize = 16 * 1024;

    // Bounded so that a paused proxy pushes back on the sender (through TCP) instead of buffering without limit.
    private const int ChunksInFlight = 64;

    // Fires on abort, so that a write loop held by the pause gate or a latency delay lets go too.
    private readonly CancellationTokenSource _aborted = new();

    /// <summary>Relays until both sides have finished or <paramref name="stop"/> fires, then closes both sockets.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var registration = stop.Register(Abort);
        try
        {
            await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
        }
        finally
        {
            client.Dispose();
            server.Dispose();
            _aborted.Dispose();
        }
    }

    /// <summary>Drops the connection at once (reset), as a crashed server would; held bytes are thrown away.</summary>
    public void Abort()
    {
        try
        {
            if (_aborted.IsCancellationRequested)
            {
                return;
            }

            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The relay already finished and closed everything.
            return;
        }

        foreach (var socket in new[] { client, server })
        {
            try
            {
                // Linger 0 turns the close into a reset, so the peer notices now rather than on its next write.
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            socket.Dispose();
        }
    }

    // Reading and writing are separate loops joined by a queue: a chunk's delay starts when it arrives, so the
    // latency adds once per chunk instead of piling up behind the previous chunk's wait.
    private async Task PumpAsync(Socket from, Socket to)
    {
        var queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(ChunksInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        try
        {
            await Task.WhenAll(ReadLoopAsync(from, queue.Writer), WriteLoopAsync(queue.Reader, to)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Whatever failed (reset, abort, disposal), the connection is over for both directions, as with a real
            // broken connection. Nothing is rethrown: one relay's failure must not fail a kill or a dispose.
            Abort();
        }
    }

    private async Task ReadLoopAsync(Socket from, ChannelWriter<Chunk> queue)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _aborted.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                var due = Stopwatch.GetTimestamp() + (long)(latency().TotalSeconds * Stopwatch.Frequency);
                await queue.WriteAsync(new Chunk(buffer, read, due), _aborted.Token).ConfigureAwait(false);
            }

            queue.TryComplete();
        }
        catch (Exception e)
        {
            queue.TryComplete(e);
            throw;
        }
    }

    private async Task WriteLoopAsync(ChannelReader<Chunk> queue, Socket to)
    {
        await foreach (var chunk in queue.ReadAllAsync(_aborted.Token).ConfigureAwait(false))
        {
            // Timers count whole milliseconds on a coarser clock than Stopwatch, so one delay can end a hair before the
            // chunk is due (a 1 s latency each way once made a 1999 ms round trip): wait again until it really is.
            TimeSpan wait;
            while ((wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), chunk.Due)) > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _aborted.Token).ConfigureAwait(false);
            }

            await gate.WaitAsync(_aborted.Token).ConfigureAwait(false);
            var data = chunk.Buffer.AsMemory(0, chunk.Length);
            while (!data.IsEmpty)
            {
                var sent = await to.SendAsync(data, SocketFlags.None, _aborted.Token).ConfigureAwait(false);
                data = data[sent..];
            }

            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }

        // The sender finished cleanly: pass the end of stream on (after everything held before it).
        await gate.WaitAsync(_aborted.Token).ConfigureAwait(false);
        to.Shutdown(SocketShutdown.Send);
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, long Due);
}
