using RedlockAspects.Generators.Tests.Infrastructure;
using RedlockAspects.Generators.Analyzers;

namespace RedlockAspects.Generators.Tests;

/// <summary>The descriptors stay numbered in order, each with a help link to its own section of docs/diagnostics.md.</summary>
public sealed class DescriptorTests
{
    [Fact]
    public void Ids_are_consecutive_and_each_has_a_documented_help_anchor()
    {
        var descriptors = new DistributedLockAnalyzer().SupportedDiagnostics;
        var docs = File.ReadAllText(DocsPath());

        for (var i = 0; i < descriptors.Length; i++)
        {
            var descriptor = descriptors[i];
            Assert.Equal($"RLK{i + 1:D4}", descriptor.Id);
            Assert.Equal("https://github.com/redlock-aspects/redlock-aspects/blob/main/docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            Assert.Contains("\n## " + descriptor.Id + "\n", docs.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()));
        }
    }

    private static string DocsPath() => Repository.Path("docs", "diagnostics.md");
}
