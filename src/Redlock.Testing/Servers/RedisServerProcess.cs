using System.Diagnostics;
using System.Globalization;
using RedlockAspects.Testing.Networking;

namespace RedlockAspects.Testing.Servers;

/// <summary>A <c>redis-server</c> child process without persistence, in its own temporary directory.</summary>
internal sealed class RedisServerProcess : INodeServer
{
    private readonly string _executable;
    private readonly string _directory;
    private readonly string _logFile;
    private readonly TimeSpan _startTimeout;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly string? _password;
    private Process? _process;
    private int _pid;

    /// <param name="executable">The redis-server executable.</param>
    /// <param name="port">The plain-text port.</param>
    /// <param name="startTimeout">How long it may take to answer.</param>
    /// <param name="extraArguments">More command-line options (cluster mode, a password, TLS), after the fixed ones.</param>
    /// <param name="password">The password the server requires (also passed in <paramref name="extraArguments"/>), for the readiness check.</param>
    public RedisServerProcess(string executable, int port, TimeSpan startTimeout, IReadOnlyList<string>? extraArguments = null, string? password = null)
    {
        _extraArguments = extraArguments ?? [];
        _password = password;
        _executable = executable;
        Port = port;
        _startTimeout = startTimeout;
        _directory = Path.Combine(
            Path.GetTempPath(),
            "redlock-testing",
            string.Create(CultureInfo.InvariantCulture, $"redis-{Environment.ProcessId}-{port}-{Guid.NewGuid():N}"));
        _logFile = Path.Combine(_directory, "redis.log");
    }

    public RedisBackend Backend => RedisBackend.RedisServer;

    public int Port { get; }

    // A server that died on its own (crash, someone else's kill) counts as down, so that it can be restarted.
    public bool IsRunning => Volatile.Read(ref _process) is { } process && !HasExited(process);

    public int? ProcessId => IsRunning ? Volatile.Read(ref _pid) : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The redis-server process is already running.");
        }

        if (Interlocked.Exchange(ref _process, null) is { } exited)
        {
            await StopAsync(exited).ConfigureAwait(false);
        }

        Directory.CreateDirectory(_directory);
        var logStart = File.Exists(_logFile) ? new FileInfo(_logFile).Length : 0;
        var process = Launch();
        try
        {
            await WaitUntilReadyAsync(process, logStart, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }

        Volatile.Write(ref _pid, process.Id);
        Volatile.Write(ref _process, process);
    }

    public Task KillAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        return process is null ? Task.CompletedTask : StopAsync(process);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // Best effort: a leftover log in the temp folder is harmless.
        }
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            WorkingDirectory = _directory,

            // The server logs to its file; anything it still prints must not land in the test runner's output.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "no",
            "--protected-mode", "no",
            "--daemonize", "no",
            "--enable-debug-command", "yes",
            "--dir", _directory,
            "--logfile", _logFile,
        })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in _extraArguments)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.Start();
        ChildProcessReaper.Track(process, _directory);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(Process process, long logStart, CancellationToken cancellationToken)
    {
        // Ready means: our own process answers on the port. Asking for its pid matters because, when another
        // server grabbed the port first, that one would answer PING while ours is failing to bind.
        var marker = string.Create(CultureInfo.InvariantCulture, $"process_id:{process.Id}\r\n");
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                var log = ReadLog(logStart);
                if (log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PortInUseException(Port);
                }

                throw new InvalidOperationException(
                    $"redis-server ({_executable}) exited with code {process.ExitCode} while starting on port {Port}. Its log:{Environment.NewLine}{log}");
            }

            try
            {
                var info = await RespClient.SendAsync(Port, ["INFO", "server"], TimeSpan.FromMilliseconds(500), _password, cancellationToken).ConfigureAwait(false);
                if (info is not null && info.Contains(marker, StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
            {
                // Not listening yet, or still loading.
            }

            if (stopwatch.Elapsed > _startTimeout)
            {
                throw new TimeoutException(
                    $"redis-server did not answer on port {Port} within {_startTimeout.TotalSeconds:0.#} s. Its log:{Environment.NewLine}{ReadLog(logStart)}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private string ReadLog(long from)
    {
        try
        {
            using var stream = new FileStream(_logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            // Disposed by a concurrent kill.
            return true;
        }
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            // SIGKILL: no shutdown work, no save; works on a SIGSTOPped process too.
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        // Waiting reaps the process, so the pid is really gone (not a zombie) and the port is free when we return.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        ChildProcessReaper.Forget(process);
        process.Dispose();
    }
}
