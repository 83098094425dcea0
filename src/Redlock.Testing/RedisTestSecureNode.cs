using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using RedlockAspects.Testing.Networking;
using RedlockAspects.Testing.Servers;

namespace RedlockAspects.Testing;

/// <summary>
/// A <c>redis-server</c> that requires a password and, when asked, also listens with TLS, as a managed Redis endpoint
/// does: for testing node strings with <c>password=</c> and <c>ssl=true</c>. Its certificate is signed by a throw-away
/// authority made at start (<see cref="CertificateAuthority"/>), which clients must trust explicitly. Dispose it to kill
/// the process and delete its files.
/// </summary>
/// <example>
/// <code>
/// await using var node = await RedisTestSecureNode.StartAsync("s3cret", tls: true);
/// var options = new RedlockOptions();
/// options.Nodes.Add(node.ConnectionString);   // "127.0.0.1:port,password=s3cret"
/// </code>
/// </example>
public sealed class RedisTestSecureNode : IAsyncDisposable
{
    private readonly RedisServerProcess _server;
    private readonly string _directory;
    private int _disposed;

    private RedisTestSecureNode(RedisServerProcess server, string password, int? tlsPort, string directory, X509Certificate2? authority)
    {
        _server = server;
        _directory = directory;
        Password = password;
        TlsPort = tlsPort;
        CertificateAuthority = authority;
        CertificateAuthorityPath = authority is null ? null : Path.Combine(directory, TestCertificates.CaFile);
    }

    /// <summary>The password the server requires.</summary>
    public string Password { get; }

    /// <summary>The plain-text port.</summary>
    public int Port => _server.Port;

    /// <summary>The plain-text node string with the password: <c>"127.0.0.1:port,password=…"</c>.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},password={Password}");

    /// <summary>The TLS port, or <c>null</c> when started without TLS.</summary>
    public int? TlsPort { get; }

    /// <summary>The TLS node string with the password (<c>"127.0.0.1:tlsPort,password=…,ssl=true"</c>), or <c>null</c> without TLS.</summary>
    public string? TlsConnectionString => TlsPort is { } port
        ? string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},password={Password},ssl=true")
        : null;

    /// <summary>The authority that signed the server's certificate (public part only), or <c>null</c> without TLS.</summary>
    public X509Certificate2? CertificateAuthority { get; }

    /// <summary>The authority as a PEM file (for StackExchange.Redis's <c>TrustIssuer(path)</c>), or <c>null</c> without TLS.</summary>
    public string? CertificateAuthorityPath { get; }

    /// <summary>Starts the server and returns once it answers (with the password).</summary>
    /// <param name="password">The password to require: not empty, no commas, spaces or quotes (it goes into a connection string).</param>
    /// <param name="tls">Also listen with TLS on <see cref="TlsPort"/>.</param>
    /// <param name="options">The redis-server path and start timeout; the other settings do not apply. Defaults when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="ArgumentException"><paramref name="password"/> is empty or has a character a connection string cannot hold.</exception>
    /// <exception cref="InvalidOperationException">redis-server cannot be found or failed to start.</exception>
    public static async Task<RedisTestSecureNode> StartAsync(string password, bool tls = false, RedisTestNodesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (password.IndexOfAny([',', ' ', '"', '\'', '=']) >= 0)
        {
            throw new ArgumentException("The password must not contain commas, spaces, quotes or '=': it goes into a connection string.", nameof(password));
        }

        options ??= new RedisTestNodesOptions();
        var executable = RedisServerLocator.Resolve(options.RedisServerPath)
            ?? throw new InvalidOperationException(
                $"redis-server was not found: looked for {RedisServerLocator.DescribeSearch(options.RedisServerPath)}. " +
                "Install it (Debian/Ubuntu: apt-get install redis-server).");

        var directory = Path.Combine(Path.GetTempPath(), "redlock-testing", "tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var authority = tls ? TestCertificates.Write(directory) : null;
        try
        {
            var (server, tlsPort) = await PortRetry.OnFreshPortAsync(
                async (port, ct) =>
                {
                    int? tlsPort = tls ? LoopbackPorts.PickFree() : null;
                    var server = new RedisServerProcess(executable, port, options.StartTimeout, Arguments(password, tlsPort, directory), password);
                    try
                    {
                        await server.StartAsync(ct).ConfigureAwait(false);
                        return (server, tlsPort);
                    }
                    catch
                    {
                        await server.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return new RedisTestSecureNode(server, password, tlsPort, directory, authority);
        }
        catch
        {
            authority?.Dispose();
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>Kills the server and deletes its files. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        CertificateAuthority?.Dispose();
        DeleteDirectory(_directory);
    }

    private static List<string> Arguments(string password, int? tlsPort, string directory)
    {
        var arguments = new List<string> { "--requirepass", password };
        if (tlsPort is { } port)
        {
            arguments.AddRange(
            [
                "--tls-port", port.ToString(CultureInfo.InvariantCulture),
                "--tls-cert-file", Path.Combine(directory, TestCertificates.CertFile),
                "--tls-key-file", Path.Combine(directory, TestCertificates.KeyFile),
                "--tls-ca-cert-file", Path.Combine(directory, TestCertificates.CaFile),

                // Clients show no certificate of their own, as with a managed endpoint.
                "--tls-auth-clients", "no",
            ]);
        }

        return arguments;
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover certificate in the temp folder is harmless.
        }
    }
}
