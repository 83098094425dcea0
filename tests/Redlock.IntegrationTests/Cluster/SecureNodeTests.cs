using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Cluster;

/// <summary>Node strings for a managed-style endpoint: a redis-server that requires a password and also speaks TLS.</summary>
public class SecureNodeTests(SecureNodeBed bed) : IClassFixture<SecureNodeBed>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    [RedisServerFact]
    public async Task A_node_string_with_the_password_locks()
    {
        await using var engine = Engine(bed.Node.ConnectionString);
        var resource = Names.Unique("secure");

        await using (var lease = await engine.AcquireAsync(resource, Ttl))
        {
            Assert.Equal(lease.Token, await (await bed.AdminAsync()).StringGetAsync(resource));
        }

        await Eventually.TrueAsync(async () => !await (await bed.AdminAsync()).KeyExistsAsync(resource));
    }

    [RedisServerFact]
    public async Task A_wrong_password_fails_naming_the_node_and_never_showing_the_password()
    {
        const string Wrong = "not-the-password-1234";
        await using var engine = Engine($"127.0.0.1:{bed.Node.Port},password={Wrong}");

        await AuthenticationFailureAsync(engine, $"127.0.0.1:{bed.Node.Port}", Wrong);
    }

    [RedisServerFact]
    public async Task A_node_string_without_a_password_fails_as_an_authentication_failure()
    {
        await using var engine = Engine($"127.0.0.1:{bed.Node.Port}");

        var detail = await AuthenticationFailureAsync(engine, $"127.0.0.1:{bed.Node.Port}", bed.Node.Password);

        Assert.Contains("NOAUTH", detail);
    }

    [RedisServerFact]
    public async Task A_tls_connection_the_caller_opened_with_a_trusted_authority_locks()
    {
        var config = ConfigurationOptions.Parse(bed.Node.TlsConnectionString!);
        config.TrustIssuer(bed.Node.CertificateAuthority!);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(config);
        Assert.True(connection.IsConnected);
        var options = Options();
        options.Connections.Add(connection);
        await using var engine = new RedlockEngine(options);
        var resource = Names.Unique("tls");

        await using (var lease = await engine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions { Fencing = true }))
        {
            Assert.Equal(lease.Token, await (await bed.AdminAsync()).StringGetAsync(resource));
            Assert.Equal(1, lease.FencingToken);
        }

        await Eventually.TrueAsync(async () => !await (await bed.AdminAsync()).KeyExistsAsync(resource));
    }

    [RedisServerFact]
    public async Task A_tls_node_string_with_ssl_and_password_locks_once_its_authority_is_trusted_through_ConfigureConnection()
    {
        var options = Options();
        options.ConfigureConnection = o => o.TrustIssuer(bed.Node.CertificateAuthority!);
        options.Nodes.Add(bed.Node.TlsConnectionString!);
        await using var engine = new RedlockEngine(options);
        var resource = Names.Unique("tls-string");

        await using (var lease = await engine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions { Fencing = true }))
        {
            Assert.Equal(lease.Token, await (await bed.AdminAsync()).StringGetAsync(resource));
            Assert.Equal(1, lease.FencingToken);
        }

        await Eventually.TrueAsync(async () => !await (await bed.AdminAsync()).KeyExistsAsync(resource));
    }

    [RedisServerFact]
    public async Task A_tls_node_string_fails_clearly_when_the_certificate_is_not_trusted()
    {
        // ssl=true and the password are right, but the machine does not trust the throw-away authority.
        await using var engine = Engine(bed.Node.TlsConnectionString!);

        var failure = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(Names.Unique("tls"), Ttl));

        var node = Assert.Single(failure.Nodes);
        Assert.Equal($"127.0.0.1:{bed.Node.TlsPort}", node.Node);
        Assert.Equal(RedlockNodeState.Unreachable, node.State);
        Assert.DoesNotContain(bed.Node.Password, failure.ToString());
    }

    /// <summary>
    /// Fails to acquire, each time naming the node and never the password, and says "authentication failed" within a few
    /// attempts: the client reports whichever of its connections failed last, and while the handshake is being cancelled
    /// that can be a bare socket error.
    /// </summary>
    private static async Task<string> AuthenticationFailureAsync(RedlockEngine engine, string node, string secret)
    {
        var details = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var failure = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(Names.Unique("secure"), Ttl));
            var report = Assert.Single(failure.Nodes);
            Assert.Equal(node, report.Node);
            Assert.Contains(node, failure.Message);
            Assert.DoesNotContain(secret, failure.ToString());
            details.Add(report.Detail ?? string.Empty);
            if (failure.Message.Contains("authentication failed", StringComparison.Ordinal))
            {
                return report.Detail!;
            }
        }

        Assert.Fail("No attempt said 'authentication failed': " + string.Join(" | ", details));
        return string.Empty;
    }

    private static RedlockEngine Engine(string node)
    {
        var options = Options();
        options.Nodes.Add(node);
        return new RedlockEngine(options);
    }

    // A node whose handshake fails can take seconds to finish its first connection attempt (the client's connect
    // timeout is 5 s); the first acquisition waits up to the node timeout for it, and then reports why it failed.
    private static RedlockOptions Options() => new()
    {
        NodeTimeout = TimeSpan.FromSeconds(15),
        RetryCount = 0,
    };
}
