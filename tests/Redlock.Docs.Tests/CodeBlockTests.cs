using RedlockAspects.Docs.Tests.Infrastructure;

namespace RedlockAspects.Docs.Tests;

/// <summary>
/// Every C# block in README.md and docs/*.md compiles against the current API, with the generator and analyzer run, or
/// reports exactly the diagnostics its marker names. One case per page, so a new page is checked without a change here.
/// </summary>
public sealed class CodeBlockTests
{
    public static TheoryData<string> Pages => [.. DocPages.All];

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_csharp_block_on_the_page_compiles_or_reports_what_its_marker_names(string page)
    {
        var blocks = MarkdownCodeBlocks.Extract(page, DocPages.Read(page));
        var failures = blocks.AsParallel().AsOrdered().SelectMany(SnippetCompiler.Check).ToList();
        Assert.True(failures.Count == 0, $"{page}: {blocks.Count} C# block(s); these fail:\n" + string.Join("\n", failures));
    }
}
