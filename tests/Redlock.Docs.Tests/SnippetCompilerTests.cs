using RedlockAspects.Docs.Tests.Infrastructure;

namespace RedlockAspects.Docs.Tests;

/// <summary>The block compiler itself: it must catch what the docs test exists to catch, and say where.</summary>
public sealed class SnippetCompilerTests
{
    [Fact]
    public void A_statement_block_compiles_as_the_body_of_the_snippet_method()
    {
        var block = new CodeBlock("docs/x.md", 10, "await using var lease = await redlock.AcquireAsync(\"a\", TimeSpan.FromSeconds(1), cancellationToken: cancellationToken);", []);

        Assert.Empty(SnippetCompiler.Check(block));
    }

    [Fact]
    public void A_wrong_member_name_fails_with_the_page_and_its_line()
    {
        var block = new CodeBlock("docs/x.md", 10, "using System.Text;\n\nvar lease = await redlock.AcquireLockAsync(\"a\");", []);

        var failure = string.Join("\n", SnippetCompiler.Check(block));

        Assert.Contains("docs/x.md:10", failure, StringComparison.Ordinal);
        Assert.Contains("docs/x.md(12,", failure, StringComparison.Ordinal);
        Assert.Contains("CS1061", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_locked_method_gets_its_generated_wrapper()
    {
        const string code = """
            public sealed partial class Billing(IRedlock redlock)
            {
                [DistributedLock("account:{accountId}", TtlMs = 1000)]
                public partial Task ChargeAsync(string accountId, CancellationToken ct = default);

                private Task ChargeAsyncCore(string accountId, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        Assert.Empty(SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, [])));
    }

    [Fact]
    public void An_analyzer_error_fails_a_block_without_a_marker()
    {
        const string code = """
            public sealed partial class Billing(IRedlock redlock)
            {
                [DistributedLock("account:{accountId}")]
                public partial Task ChargeAsync(string accountId);

                private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
            }
            """;

        var failure = string.Join("\n", SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, [])));

        Assert.Contains("RLK0001", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_marker_must_name_exactly_the_reported_ids()
    {
        const string code = """
            public sealed partial class Billing(IRedlock redlock)
            {
                [DistributedLock("account:{accountId}")]
                public partial Task ChargeAsync(string accountId);

                private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
            }
            """;

        Assert.Empty(SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, ["RLK0001"], ExpectsErrors: true)));
        Assert.NotEmpty(SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, ["RLK0002"], ExpectsErrors: true)));
        Assert.NotEmpty(SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, ["RLK0001", "CS0103"], ExpectsErrors: true)));
        Assert.NotEmpty(SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, ["RLK0001"], ExpectsErrors: false)));
    }

    [Fact]
    public void A_block_with_top_level_statements_and_types_compiles_as_a_program()
    {
        const string code = """
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddRedlock(o => o.Nodes.Add("localhost:6379"));
            builder.Build().Run();

            public sealed class Marker;
            """;

        Assert.Empty(SnippetCompiler.Check(new CodeBlock("docs/x.md", 1, code, [])));
    }
}
