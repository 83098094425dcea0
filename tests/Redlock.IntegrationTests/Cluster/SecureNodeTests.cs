using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Cluster;

/// <summary>Node strings for a managed-style endpoint: a redis-server that requires a password and also speaks TLS.</summary>
public class SecureNodeTests(SecureNodeBed bed) : IClassFixture<SecureNodeBed>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

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

        var failure = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(Names.Unique("secure"), Ttl));

        var node = Assert.Single(failure.Nodes);
        Assert.Equal($"127.0.0.1:{bed.Node.Port}", node.Node);
        Assert.Contains("authentication failed", node.Detail);
        Assert.Contains($"127.0.0.1:{bed.Node.Port}", failure.Message);
        Assert.Contains("authentication failed", failure.Message);
        Assert.DoesNotContain(Wrong, failure.ToString());
    }

    [RedisServerFact]
    public async Task A_node_string_without_a_password_fails_as_an_authentication_failure()
    {
        await using var engine = Engine($"127.0.0.1:{bed.Node.Port}");

        var failure = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(Names.Unique("secure"), Ttl));

        Assert.Contains("authentication failed", Assert.Single(failure.Nodes).Detail);
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

    private static RedlockEngine Engine(string node)
    {
        var options = Options();
        options.Nodes.Add(node);
        return new RedlockEngine(options);
    }

    private static RedlockOptions Options() => new()
    {
        NodeTimeout = TimeSpan.FromSeconds(2),
        RetryCount = 0,
    };
}
