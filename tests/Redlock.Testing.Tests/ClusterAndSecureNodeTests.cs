using StackExchange.Redis;

namespace RedlockAspects.Testing.Tests;

public sealed class ClusterAndSecureNodeTests
{
    [RedisServerFact]
    public async Task A_cluster_serves_every_slot_from_its_masters_and_dispose_frees_every_port()
    {
        var cluster = await RedisTestCluster.StartAsync(masters: 3);
        var ports = cluster.Ports.SelectMany(p => new[] { p, p + 10000 }).ToArray();
        await using (var client = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString))
        {
            var config = client.GetServer(client.GetEndPoints()[0]).ClusterConfiguration!;
            var masters = config.Nodes.Where(n => !n.IsReplica).ToArray();
            Assert.Equal(3, masters.Length);
            Assert.Equal(16384, masters.Sum(m => m.Slots.Sum(r => r.To - r.From + 1)));

            // Keys in different slots are written through the one connection string.
            var db = client.GetDatabase();
            for (var i = 0; i < 20; i++)
            {
                await db.StringSetAsync($"key:{i}", i);
            }

            Assert.Equal(3, Enumerable.Range(0, 20).Select(i => config.GetBySlot(client.HashSlot($"key:{i}"))!.EndPoint).Distinct().Count());
            Assert.Equal(7, (int)await db.StringGetAsync("key:7"));
        }

        await cluster.DisposeAsync();
        await cluster.DisposeAsync();

        Assert.All(ports, port => Assert.True(TestClients.CanBind(port), $"Port {port} is still held after dispose."));
    }

    [RedisServerFact]
    public async Task A_secure_node_requires_its_password_and_speaks_tls_to_clients_that_trust_its_authority()
    {
        var node = await RedisTestSecureNode.StartAsync("fixture-Secret-9", tls: true);
        var ports = new[] { node.Port, node.TlsPort!.Value };

        var anonymous = ConfigurationOptions.Parse($"127.0.0.1:{node.Port}");
        anonymous.AbortOnConnectFail = true;
        anonymous.ConnectTimeout = 5000;
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(anonymous));

        await using (var plain = await ConnectionMultiplexer.ConnectAsync(node.ConnectionString))
        {
            await plain.GetDatabase().StringSetAsync("k", "plain");
        }

        var tls = ConfigurationOptions.Parse(node.TlsConnectionString!);
        tls.TrustIssuer(node.CertificateAuthority!);
        await using (var secure = await ConnectionMultiplexer.ConnectAsync(tls))
        {
            Assert.True(secure.IsConnected);
            Assert.Equal("plain", (string?)await secure.GetDatabase().StringGetAsync("k"));
        }

        Assert.True(File.Exists(node.CertificateAuthorityPath));
        await node.DisposeAsync();

        Assert.All(ports, port => Assert.True(TestClients.CanBind(port), $"Port {port} is still held after dispose."));
        Assert.False(File.Exists(node.CertificateAuthorityPath));
    }

    [Fact]
    public async Task A_password_that_cannot_go_into_a_connection_string_is_refused_naming_the_argument()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisTestSecureNode.StartAsync("a,b"));
        Assert.Equal("password", error.ParamName);
    }

    [Fact]
    public async Task A_cluster_needs_one_to_sixteen_masters()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RedisTestCluster.StartAsync(masters: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RedisTestCluster.StartAsync(masters: 17));
    }
}
