using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RedlockAspects.Tests.DependencyInjection;

/// <summary>Several engines in one container: keyed registrations, independent options, and the mistakes they refuse.</summary>
public class AddKeyedRedlockTests
{
    // Nothing listens on these ports; the engines never need to connect for these tests.
    private const string NodeA = "127.0.0.1:1,connectTimeout=200";
    private const string NodeB = "127.0.0.2:1,connectTimeout=200";
    private const string NodeC = "127.0.0.3:1,connectTimeout=200";

    [Fact]
    public void A_second_AddRedlock_is_refused_and_points_to_AddKeyedRedlock()
    {
        var services = new ServiceCollection();
        services.AddRedlock(o => o.Nodes.Add(NodeA));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddRedlock(o => o.Nodes.Add(NodeB)));

        Assert.Contains("AddRedlock was already called", error.Message);
        Assert.Contains("AddKeyedRedlock", error.Message);
        Assert.Contains("[FromKeyedServices", error.Message);
    }

    [Fact]
    public void A_keyed_engine_beside_the_plain_one_has_its_own_nodes_quorum_and_settings()
    {
        var services = new ServiceCollection();
        services.AddRedlock(o =>
        {
            o.Nodes.Add(NodeA);
            o.RetryCount = 3;
        });
        services.AddKeyedRedlock("billing", o =>
        {
            o.Nodes.Add(NodeA);
            o.Nodes.Add(NodeB);
            o.Nodes.Add(NodeC);
            o.RetryCount = 7;
        });
        services.Configure<RedlockOptions>("billing", o => o.KeyPrefix = "billing:");
        using var provider = services.BuildServiceProvider();

        var plain = provider.GetRequiredService<RedlockEngine>();
        var billing = provider.GetRequiredKeyedService<RedlockEngine>("billing");

        Assert.NotSame(plain, billing);
        Assert.Same(billing, provider.GetRequiredKeyedService<IRedlock>("billing"));
        Assert.Same(plain, provider.GetRequiredService<IRedlock>());
        Assert.Single(plain.Nodes);
        Assert.Equal(1, plain.Quorum);
        Assert.Equal(3, billing.Nodes.Count);
        Assert.Equal(2, billing.Quorum);

        var monitor = provider.GetRequiredService<IOptionsMonitor<RedlockOptions>>();
        Assert.Equal(3, provider.GetRequiredService<IOptions<RedlockOptions>>().Value.RetryCount);
        Assert.Null(provider.GetRequiredService<IOptions<RedlockOptions>>().Value.KeyPrefix);
        Assert.Equal(7, monitor.Get("billing").RetryCount);
        Assert.Equal("billing:", monitor.Get("billing").KeyPrefix);
    }

    [Fact]
    public void Two_keyed_engines_without_a_plain_one_leave_IRedlock_unregistered()
    {
        var services = new ServiceCollection();
        services.AddKeyedRedlock("orders", o => o.Nodes.Add(NodeA));
        services.AddKeyedRedlock("billing", o => o.Nodes.Add(NodeB));
        using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IRedlock>());
        Assert.Equal(["127.0.0.1:1"], provider.GetRequiredKeyedService<RedlockEngine>("orders").Nodes);
        Assert.Equal(["127.0.0.2:1"], provider.GetRequiredKeyedService<RedlockEngine>("billing").Nodes);
    }

    [Fact]
    public void A_keyed_engine_reads_its_own_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redlock:Nodes:0"] = "redis1:6379",
            ["Redlock:Billing:Nodes:0"] = "billing1:6379",
            ["Redlock:Billing:Nodes:1"] = "billing2:6379",
            ["Redlock:Billing:RetryDelayMs"] = "50",
            ["Redlock:Billing:HolderName"] = "billing-worker",
        }).Build();
        var services = new ServiceCollection();
        services.AddKeyedRedlock("billing", configuration.GetSection("Redlock:Billing"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<RedlockOptions>>().Get("billing");

        Assert.Equal(["billing1:6379", "billing2:6379"], options.Nodes);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.RetryDelay);
        Assert.Equal("billing-worker", options.HolderName);
    }

    [Fact]
    public void A_bad_value_in_a_keyed_section_names_its_path()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redlock:Billing:Nodes:0"] = "billing1:6379",
            ["Redlock:Billing:RetryDelay"] = "200",
        }).Build();
        var services = new ServiceCollection();
        services.AddKeyedRedlock("billing", configuration.GetSection("Redlock:Billing"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<RedlockOptions>>().Get("billing"));

        Assert.Equal("billing", error.OptionsName);
        Assert.Contains("Redlock:Billing:RetryDelay", error.Message);
    }

    [Fact]
    public void A_keyed_engine_without_nodes_fails_validation_under_its_own_name()
    {
        var services = new ServiceCollection();
        services.AddRedlock(o => o.Nodes.Add(NodeA));
        services.AddKeyedRedlock("billing", _ => { });
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetRequiredService<IOptions<RedlockOptions>>().Value.Nodes);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IRedlock>("billing"));
        Assert.Equal("billing", error.OptionsName);
        Assert.Contains("No Redis nodes are configured", error.Message);
    }

    [Fact]
    public void The_same_key_twice_is_refused()
    {
        var services = new ServiceCollection();
        services.AddKeyedRedlock("billing", o => o.Nodes.Add(NodeA));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddKeyedRedlock("billing", o => o.Nodes.Add(NodeB)));

        Assert.Contains("already registered under the key 'billing'", error.Message);
    }

    [Fact]
    public void Keys_whose_options_names_collide_are_refused()
    {
        var services = new ServiceCollection();
        services.AddKeyedRedlock(1, o => o.Nodes.Add(NodeA));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddKeyedRedlock("1", o => o.Nodes.Add(NodeB)));

        Assert.Contains("options name '1'", error.Message);
    }

    [Fact]
    public void An_empty_key_is_refused()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentException>(() => services.AddKeyedRedlock("", o => o.Nodes.Add(NodeA)));

        Assert.Equal("serviceKey", error.ParamName);
    }

    [Fact]
    public void UseConnectionsFromServices_names_a_key_that_has_no_connection()
    {
        var services = new ServiceCollection();
        services.AddRedlock(_ => { }).UseConnectionsFromServices("redis1");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);

        Assert.Contains("no IConnectionMultiplexer is registered under the key 'redis1'", error.Message);
    }

    [Fact]
    public void UseConnectionsFromServices_without_keys_needs_a_registered_connection()
    {
        var services = new ServiceCollection();
        services.AddRedlock(_ => { }).UseConnectionsFromServices();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);

        Assert.Contains("found no IConnectionMultiplexer", error.Message);
    }
}
