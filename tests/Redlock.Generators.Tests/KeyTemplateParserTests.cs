using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators.Tests;

/// <summary>The key template grammar on its own: literal text, <c>{name}</c>, <c>&lt;name&gt;</c>, member paths, formats, escapes.</summary>
public sealed class KeyTemplateParserTests
{
    [Theory]
    [InlineData("key:<accountId>", "key:|[accountId]")]
    [InlineData("account:{accountId}", "account:|[accountId]")]
    [InlineData("{order.Customer.Id}/{when:yyyyMMddHHmm}", "[order.Customer.Id]|/|[when:yyyyMMddHHmm]")]
    [InlineData("a{{b}}c", "a{b}c")]
    [InlineData("{{{id}}}", "{|[id]|}")]
    [InlineData("{ id }", "[id]")]
    [InlineData("a<b and c>d", "a<b and c>d")]
    [InlineData("x<y", "x<y")]
    [InlineData("<when:HH:mm>", "[when:HH:mm]")]
    [InlineData("<a{b}>", "<a|[b]|>")]
    [InlineData("jobs:nightly", "jobs:nightly")]
    public void Parses(string template, string expected)
    {
        var parsed = KeyTemplateParser.Parse(template);

        Assert.Null(parsed.Error);
        Assert.Equal(expected, string.Join("|", parsed.Segments.Select(s => s.Path is null ? s.Literal : "[" + s.PathText + (s.Format is null ? "" : ":" + s.Format) + "]")));
    }

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("a{id", 1, 3)]
    [InlineData("a}b", 1, 1)]
    [InlineData("{}", 0, 2)]
    [InlineData("x{id:}", 1, 5)]
    [InlineData("{a-b}", 0, 5)]
    [InlineData("{a.}", 0, 4)]
    [InlineData("{1a}", 0, 4)]
    [InlineData("{:x}", 0, 4)]
    [InlineData("{a{b}", 0, 2)]
    public void Reports_where_a_template_is_malformed(string template, int start, int length)
    {
        var error = KeyTemplateParser.Parse(template).Error;

        Assert.NotNull(error);
        Assert.Equal((start, length), (error.Start, error.Length));
    }

    [Fact]
    public void Placeholder_positions_cover_the_braces()
    {
        var placeholder = KeyTemplateParser.Parse("ab{cd}ef").Segments.Single(s => s.Path is not null);
        Assert.Equal((2, 4), (placeholder.Start, placeholder.Length));
    }
}
