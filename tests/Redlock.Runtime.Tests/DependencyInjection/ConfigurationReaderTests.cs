using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RedlockAspects.Tests.DependencyInjection;

/// <summary>appsettings.json values that would crash later are refused at start-up, naming the path (lease-safety defect 5).</summary>
public class ConfigurationReaderTests
{
    private static OptionsValidationException StartFails(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);
    }

    private static RedlockOptions Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RedlockOptions>>().Value;
    }

    [Fact]
    public void A_node_redlock_style_plain_number_is_refused_with_the_path_the_value_and_the_format()
    {
        var error = StartFails(new() { ["Redlock:Nodes:0"] = "redis1:6379", ["Redlock:RetryDelay"] = "200" });

        var message = Assert.Single(error.Failures);
        Assert.Contains("Redlock:RetryDelay", message);
        Assert.Contains("'200'", message);
        Assert.Contains("200 days", message);
        Assert.Contains("00:00:00.200", message);
        Assert.Contains("Redlock:RetryDelayMs", message);
    }

    [Fact]
    public void An_empty_nodes_array_in_appsettings_takes_the_nodes_other_sources_add()
    {
        var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("""{ "Redlock": { "Nodes": [] } }"""));
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(json)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redlock:Nodes:0"] = "redis1:6379", ["Redlock:Nodes:1"] = "redis2:6379" })
            .Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(["redis1:6379", "redis2:6379"], provider.GetRequiredService<IOptions<RedlockOptions>>().Value.Nodes);
    }

    [Fact]
    public void The_millisecond_spelling_reads_milliseconds()
    {
        var options = Read(new() { ["Redlock:Nodes:0"] = "redis1:6379", ["Redlock:RetryDelayMs"] = "200", ["Redlock:RetryJitterMs"] = "100", ["Redlock:MaxWaitMs"] = "2500" });

        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.RetryJitter);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.MaxWait);
    }

    [Fact]
    public void An_out_of_range_duration_is_refused_with_its_path_and_range()
    {
        var error = StartFails(new() { ["Redlock:Nodes:0"] = "redis1:6379", ["Redlock:RetryJitter"] = "10675199.02:48:05.4775807" });

        var message = Assert.Single(error.Failures);
        Assert.Contains("Redlock:RetryJitter", message);
        Assert.Contains("between 0 ms and 01:00:00", message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_including_unknown_keys()
    {
        var error = StartFails(new()
        {
            ["Redlock:Nodes:0"] = "redis1:6379",
            ["Redlock:RetryDelay"] = "200",
            ["Redlock:RetryCount"] = "ten",
            ["Redlock:RetryDelays"] = "00:00:01",
        });

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("Redlock:RetryCount") && f.Contains("'ten'"));
        Assert.Contains(error.Failures, f => f.Contains("Redlock:RetryDelays is not a Redlock setting"));
    }

    [Fact]
    public void A_bad_node_string_in_configuration_fails_start_up_naming_it()
    {
        var error = StartFails(new() { ["Redlock:Nodes:0"] = "redis://127.0.0.1:6379" });

        Assert.Contains(error.Failures, f => f.Contains("Nodes[0]") && f.Contains("redis://127.0.0.1:6379"));
    }
}
