using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedlockAspects.Docs.Tests.Infrastructure;

namespace RedlockAspects.Docs.Tests;

/// <summary>The appsettings.json example of docs/configuration.md is what AddRedlock really reads, value by value.</summary>
public sealed partial class AppSettingsExampleTests
{
    [Fact]
    public void The_appsettings_example_configures_the_values_it_shows()
    {
        var page = DocPages.Read("docs/configuration.md");
        var json = JsonBlock().Match(page[page.IndexOf("### In appsettings.json", StringComparison.Ordinal)..]).Groups["json"].Value;
        Assert.Contains("\"Redlock\"", json, StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RedlockOptions>>().Value;

        Assert.Equal(["redis1:6379", "redis2:6379", "redis3:6379"], options.Nodes);
        Assert.Equal(0.01, options.DriftFactor);
        Assert.Equal(10, options.RetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryJitter);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxWait);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.NodeTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1), options.MinValidity);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ReleaseTimeout);
        Assert.Equal("locks:", options.KeyPrefix);
    }

    [Fact]
    public void A_plain_number_for_a_duration_fails_with_the_message_the_page_quotes()
    {
        var page = DocPages.Read("docs/configuration.md");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redlock:Nodes:0"] = "redis1:6379", ["Redlock:RetryDelay"] = "200" })
            .Build();
        var services = new ServiceCollection();
        services.AddRedlock(configuration.GetSection("Redlock"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedlockOptions>>().Value);

        Assert.Contains(error.Failures.Single(), page, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
