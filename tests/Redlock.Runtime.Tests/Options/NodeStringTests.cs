namespace RedlockAspects.Tests.Options;

/// <summary>Node strings that are not endpoints stop start-up, naming the node (lease-safety defect 6).</summary>
public class NodeStringTests
{
    [Theory]
    [InlineData(":::")]
    [InlineData("redis://127.0.0.1:6379")]
    [InlineData("127.0.0.1:notaport")]
    [InlineData("0.0.0.0:6379")]
    public void A_string_that_is_not_an_endpoint_is_refused_with_its_index_and_text(string node)
    {
        var options = new RedlockOptions();
        options.Nodes.Add("127.0.0.1:6379");
        options.Nodes.Add(node);
        options.Nodes.Add("127.0.0.1:6381");

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Nodes[1]", error.Message);
        Assert.Contains($"'{node}'", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:6379", "127.0.0.1:6379")]
    [InlineData("localhost", "LOCALHOST:6379")]
    [InlineData("redis1:6379,password=x", "redis1:6379")]
    public void The_same_node_twice_is_refused_because_it_would_count_twice(string first, string second)
    {
        var options = new RedlockOptions();
        options.Nodes.Add(first);
        options.Nodes.Add(second);
        options.Nodes.Add("redis3:6379");

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Nodes[1] and Nodes[0] are the same node", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis1")]
    [InlineData("redis1:6380,password=secret,ssl=true,connectTimeout=200")]
    [InlineData("[::1]:6379")]
    public void Ordinary_node_strings_are_accepted(string node)
    {
        var options = new RedlockOptions();
        options.Nodes.Add(node);

        options.Validate();
    }
}
