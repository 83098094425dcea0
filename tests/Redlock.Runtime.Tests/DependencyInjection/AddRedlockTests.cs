using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RedlockAspects.Tests.DependencyInjection;

public class AddRedlockTests
{
    [Fact]
    public void No_nodes_fails_options_validation_with_a_clear_message()
    {
        var services = new ServiceCollection();
        services.AddRedlock(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);

        Assert.Contains("No Redis nodes are configured", error.Message);
    }

    [Fact]
    public void Options_bind_from_a_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redlock:Nodes:0"] = "redis1:6379",
            ["Redlock:Nodes:1"] = "redis2:6379",
            ["Redlock:Nodes:2"] = "redis3:6379",
            ["Redlock:DriftFactor"] = "0.02",
            ["Redlock:RetryCount"] = "3",
            ["Redlock:RetryDelay"] = "00:00:00.150",
            ["Redlock:KeyPrefix"] = "locks:",
        }).Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RedlockOptions>>().Value;

        Assert.Equal(["redis1:6379", "redis2:6379", "redis3:6379"], options.Nodes);
        Assert.Equal(0.02, options.DriftFactor);
        Assert.Equal(3, options.RetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(150), options.RetryDelay);
        Assert.Equal("locks:", options.KeyPrefix);
    }

    [Fact]
    public void A_bad_drift_factor_in_configuration_fails_with_its_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redlock:Nodes:0"] = "redis1:6379",
            ["Redlock:DriftFactor"] = "0.7",
        }).Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);

        Assert.Contains("DriftFactor", Flatten(error));
    }

    [Fact]
    public void A_negative_delay_in_code_fails_where_it_is_set()
    {
        var services = new ServiceCollection();
        services.AddRedlock(o =>
        {
            o.Nodes.Add("redis1:6379");
            o.RetryDelay = TimeSpan.FromMilliseconds(-5);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);

        Assert.Equal("RetryDelay", error.ParamName);
    }

    [Fact]
    public void IRedlock_is_one_singleton_engine()
    {
        var services = new ServiceCollection();
        services.AddRedlock(o => o.Nodes.Add("127.0.0.1:1,connectTimeout=200"));
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<IRedlock>();
        var second = provider.GetRequiredService<IRedlock>();

        Assert.Same(first, second);
        Assert.IsType<RedlockEngine>(first);
    }

    private static string Flatten(Exception error)
    {
        var text = "";
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text += e.Message + "\n";
        }

        return text;
    }
}
