using RedlockAspects.Docs.Tests.Infrastructure;

namespace RedlockAspects.Docs.Tests;

public sealed class MarkdownCodeBlocksTests
{
    [Fact]
    public void Csharp_cs_and_c_sharp_fences_are_found_with_their_first_line_and_other_languages_are_not()
    {
        const string markdown = "# Page\n\n```csharp\nvar a = 1;\n```\n\n```json\n{}\n```\n\n~~~cs\nvar b = 2;\n~~~\n\n- item\n\n  ```C#\n  var c = 3;\n  ```\n\n```\nplain\n```\n";

        var blocks = MarkdownCodeBlocks.Extract("p.md", markdown);

        Assert.Equal(["var a = 1;", "var b = 2;", "var c = 3;"], blocks.Select(b => b.Code));
        Assert.Equal([4, 12, 18], blocks.Select(b => b.FirstLine));
    }

    [Fact]
    public void A_marker_names_the_expected_ids_and_anything_else_after_the_tag_is_refused()
    {
        var blocks = MarkdownCodeBlocks.Extract("p.md", "```csharp // does not compile: RLK0010, CS0751\nclass A {}\n```\n```cs // warns: RLK0004\n```\n");

        Assert.Equal(["RLK0010", "CS0751"], blocks[0].ExpectedIds);
        Assert.True(blocks[0].ExpectsErrors);
        Assert.Equal(["RLK0004"], blocks[1].ExpectedIds);
        Assert.False(blocks[1].ExpectsErrors);
        Assert.Throws<FormatException>(() => MarkdownCodeBlocks.Extract("p.md", "```csharp does not compile\n```\n"));
    }
}
