using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using RedlockAspects.Generators.Analyzers;

namespace RedlockAspects.Generators.Tests.Infrastructure;

/// <summary>
/// Analyzer tests with <c>{|RLK0001:span|}</c> markup. The generator runs too, as in a real build, so a valid method gets
/// its wrapper and "must not fire" cases prove the whole thing compiles with no warnings. Framework and runtime
/// references come from this process (no reference packages are downloaded).
/// </summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<DistributedLockAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string source, bool compilesCleanly)
    {
        TestCode = source;
        RoslynTestSetup.Configure(this, compilesCleanly);
    }

    protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(DistributedLockGenerator) };

    protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => RoslynTestSetup.CompilationOptions;
}

/// <summary>A code-fix test: the analyzer's diagnostic in <c>TestCode</c>, the fixed code in <c>FixedCode</c>.</summary>
internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<DistributedLockAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        RoslynTestSetup.Configure(this, compilesCleanly: false);
    }

    protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(DistributedLockGenerator) };

    protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => RoslynTestSetup.CompilationOptions;
}

internal static class RoslynTestSetup
{
    /// <summary>The testing library parses documentation comments; missing ones (CS1591) are noise here.</summary>
    public static readonly CompilationOptions CompilationOptions = TestCompilation.CompilationOptions.WithSpecificDiagnosticOptions(
        new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress });

    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test, bool compilesCleanly)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(TestCompilation.References);
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;

        // Invalid methods get no wrapper, so the compiler adds CS8795 (partial method without implementation) and the
        // like next to our RLK diagnostic; those are not what these tests are about.
        test.CompilerDiagnostics = compilesCleanly ? CompilerDiagnostics.Warnings : CompilerDiagnostics.None;
    }
}
