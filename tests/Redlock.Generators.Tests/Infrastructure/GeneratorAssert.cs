using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RedlockAspects.Generators.Analyzers;

namespace RedlockAspects.Generators.Tests.Infrastructure;

internal static class GeneratorAssert
{
    /// <summary>
    /// Runs the generator on <paramref name="source"/>, checks the single wrapper against its baseline, and checks that
    /// source plus wrapper compile against the real runtime with no warnings or errors and no RLK diagnostics.
    /// </summary>
    public static GeneratorRun GeneratesClean(string baselineName, string source, int expectedFiles = 1)
    {
        var run = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Empty(run.GeneratorDiagnostics);
        var sources = run.Sources.ToList();
        Assert.True(
            expectedFiles == sources.Count,
            $"Expected {expectedFiles} generated file(s), got {sources.Count}. Analyzer says:\n"
                + string.Join("\n", AnalyzerDiagnostics(run.Output).Select(Describe)));

        var text = string.Join("\n// ----- next file -----\n", sources.Select(s => "// " + s.HintName + "\n" + s.SourceText.ToString()));
        Snapshot.Match(baselineName + ".g.cs", text);
        AssertNoWarnings(run.Output);
        Assert.Empty(AnalyzerDiagnostics(run.Output));
        return run;
    }

    public static void AssertNoWarnings(Compilation compilation)
    {
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "The compilation has diagnostics:\n" + string.Join("\n", problems.Select(Describe)) + "\n\n" + GeneratedText(compilation));
    }

    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) =>
        compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DistributedLockAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} {diagnostic.Severity} at {Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.GetMessage()}";
    }

    private static string GeneratedText(Compilation compilation) =>
        string.Join("\n", compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).Select(t => t.FilePath + ":\n" + t));
}
