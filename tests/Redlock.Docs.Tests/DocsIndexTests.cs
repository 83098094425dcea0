using System.Text.RegularExpressions;
using RedlockAspects.Docs.Tests.Infrastructure;

namespace RedlockAspects.Docs.Tests;

/// <summary>Every page is reachable: docs/README.md links each page under docs/, and the root README links the index.</summary>
public sealed partial class DocsIndexTests
{
    [Fact]
    public void The_docs_index_links_every_page()
    {
        var index = DocPages.Read("docs/README.md");
        var linked = Link().Matches(index).Select(m => m.Groups["target"].Value).ToHashSet(StringComparer.Ordinal);
        var pages = DocPages.All.Where(p => p.StartsWith("docs/", StringComparison.Ordinal) && p != "docs/README.md")
            .Select(p => p["docs/".Length..])
            .ToList();

        var missing = pages.Where(p => !linked.Contains(p)).ToList();

        Assert.NotEmpty(pages);
        Assert.True(missing.Count == 0, "docs/README.md does not link: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_root_README_links_the_docs_index_and_keeps_its_first_commands_on_top()
    {
        var readme = DocPages.Read("README.md");

        Assert.Contains("](docs/README.md)", readme, StringComparison.Ordinal);
        var firstCommands = readme.IndexOf("dotnet run --project samples/ScheduledJobs", StringComparison.Ordinal);
        Assert.InRange(firstCommands, 0, readme.IndexOf("## Documentation", StringComparison.Ordinal));
        Assert.True(firstCommands < readme.IndexOf("dotnet test RedlockAspects.sln", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\]\((?<target>[^)#\s]+\.md)(#[^)]*)?\)")]
    private static partial Regex Link();
}
