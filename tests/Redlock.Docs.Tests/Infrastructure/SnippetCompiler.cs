using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using RedlockAspects.Generators;
using RedlockAspects.Generators.Analyzers;

namespace RedlockAspects.Docs.Tests.Infrastructure;

/// <summary>
/// Compiles one code block the way the docs promise: as its own file, with the RedlockAspects generator and analyzer run
/// as in a real build. A block that declares a type or namespace is the whole file (with top-level statements it is a
/// program); any other block is the body of
/// <c>static async Task Snippet(IServiceProvider services, IRedlock redlock, CancellationToken cancellationToken)</c>,
/// its leading <c>using</c> directives kept at file level. <c>#line</c> directives map every diagnostic to the page.
/// </summary>
internal static class SnippetCompiler
{
    public const string SnippetSignature = "static async Task Snippet(IServiceProvider services, IRedlock redlock, CancellationToken cancellationToken)";

    public static readonly IReadOnlyList<string> GlobalUsings =
    [
        "System", "System.Threading", "System.Threading.Tasks", "System.Collections.Generic", "System.Linq", "RedlockAspects",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Configuration",
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly SyntaxTree GlobalUsingsTree = CSharpSyntaxTree.ParseText(
        string.Concat(GlobalUsings.Select(u => $"global using {u};\n")), ParseOptions, path: "GlobalUsings.g.cs");

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new DistributedLockAnalyzer()];

    /// <summary>Compiles <paramref name="block"/> and returns what it reports: every error, and every RLK warning.</summary>
    public static IReadOnlyList<Diagnostic> Compile(CodeBlock block)
    {
        var (source, isProgram) = Wrap(block);
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: block.Page + ".cs", encoding: Encoding.UTF8);
        var compilation = CSharpCompilation.Create(
            "DocBlock",
            [GlobalUsingsTree, tree],
            DocReferences.All,
            new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new DistributedLockGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var all = output.WithAnalyzers(Analyzers).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Concat(generatorDiagnostics);
        return all
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.Id.StartsWith("RLK", StringComparison.Ordinal)))
            .Distinct()
            .OrderBy(d => d.Location.GetMappedLineSpan().StartLinePosition)
            .ToList();
    }

    /// <summary>The block's problems against its expectation; empty when it compiles as the page says it does.</summary>
    public static IReadOnlyList<string> Check(CodeBlock block)
    {
        IReadOnlyList<Diagnostic> diagnostics;
        try
        {
            diagnostics = Compile(block);
        }
        catch (Exception e)
        {
            return [$"{block}: the compiler failed: {e}"];
        }

        var reported = diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        var expected = block.ExpectedIds.Distinct().Order(StringComparer.Ordinal).ToList();
        var errors = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        if (reported.SequenceEqual(expected) && (expected.Count == 0 || errors == block.ExpectsErrors))
        {
            return [];
        }

        var header = expected.Count == 0
            ? $"{block} (C# block at line {block.FirstLine}) does not compile:"
            : $"{block} (C# block at line {block.FirstLine}) should report exactly {string.Join(", ", expected)}, {(block.ExpectsErrors ? "with at least one error ('does not compile')" : "all warnings ('warns')")}, but reports {(reported.Count == 0 ? "nothing" : string.Join(", ", reported))}:";
        return [header, .. diagnostics.Select(d => "    " + Describe(d))];
    }

    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var where = diagnostic.Location.IsInSource ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "(no location)";
        return $"{where}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage()}";
    }

    /// <summary>The file to compile for <paramref name="block"/>, and whether it is a program (top-level statements).</summary>
    public static (string Source, bool IsProgram) Wrap(CodeBlock block)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(block.Code, ParseOptions).GetRoot();
        var declaresTypes = root.Members.Any(m => m is BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax);
        var line = $"#line {block.FirstLine} \"{block.Page}\"\n";
        if (declaresTypes)
        {
            return (line + block.Code + "\n", root.Members.Any(m => m is GlobalStatementSyntax));
        }

        // Leading using directives stay at file level; the rest is the body, mapped to its own first line.
        var bodyStart = root.Usings.Count > 0 ? root.Usings.Last().FullSpan.End : 0;
        var usings = block.Code[..bodyStart];
        var body = block.Code[bodyStart..];
        var bodyLine = block.FirstLine + usings.Count(c => c == '\n');
        var source = new StringBuilder()
            .Append(line).Append(usings).Append('\n')
            .Append("#line default\n")
            .Append("internal static class DocSnippet\n{\n")
            .Append("    ").Append(SnippetSignature).Append("\n    {\n")
            .Append($"#line {bodyLine} \"{block.Page}\"\n")
            .Append(body).Append('\n')
            .Append("#line default\n")
            .Append("    }\n}\n");
        return (source.ToString(), false);
    }
}
