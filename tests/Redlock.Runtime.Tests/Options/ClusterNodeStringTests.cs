namespace RedlockAspects.Tests.Options;

/// <summary>Node strings for a Redis Cluster or a managed endpoint: several endpoints, credentials, TLS (docs/clusters.md).</summary>
public class ClusterNodeStringTests
{
    [Theory]
    [InlineData("127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002,password=x")]
    [InlineData("my-cache.redis.example.net:6380,password=secret,ssl=true,abortConnect=false")]
    [InlineData("redis1:6379,user=app,password=secret,ssl=true,sslHost=redis1.example.net")]
    [InlineData("cluster-a1:7000,cluster-a2:7000,cluster-a3:7000,ssl=true,password=p")]
    public void Cluster_and_managed_node_strings_are_accepted(string node)
    {
        var options = new RedlockOptions();
        options.Nodes.Add(node);
        options.Nodes.Add("127.0.0.1:6379");

        options.Validate();
    }

    [Fact]
    public void A_node_that_shares_an_endpoint_with_a_cluster_node_is_refused_as_the_same_node()
    {
        var options = new RedlockOptions();
        options.Nodes.Add("127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");
        options.Nodes.Add("127.0.0.1:7001");
        options.Nodes.Add("127.0.0.1:6379");

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Nodes[1] and Nodes[0] are the same node (127.0.0.1:7001)", error.Message);
    }

    [Fact]
    public void With_ssl_and_no_port_the_node_is_the_tls_port_6380()
    {
        var options = new RedlockOptions();
        options.Nodes.Add("redis1,ssl=true,password=x");
        options.Nodes.Add("redis1:6380");

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("(redis1:6380)", error.Message);
    }

    [Theory]
    [InlineData("rediss://default:hunter2@redis1:6380,password=hunter2")]
    [InlineData("redis1:notaport,password=hunter2")]
    [InlineData("redis1:6379,password=hunter2,ssl=maybe")]
    public void A_refused_node_string_is_shown_without_its_password(string node)
    {
        var options = new RedlockOptions();
        options.Nodes.Add(node);

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Nodes[0]", error.Message);
        Assert.Contains("password=***", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
