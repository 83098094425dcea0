using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// What a command-line build sees: the compiler runs analyzers only when the code has no C# errors, so every RLK error
/// must either come with no C# diagnostic of its own (the stubs) or be reported by the generator (RLK0010). PackageTests
/// checks the same through <c>dotnet build</c>.
/// </summary>
public sealed class CommandLineGapTests
{
    private const string Usings = """
        using System.Threading.Tasks;
        using RedlockAspects;

        """;

    [Fact]
    public void Partial_class_in_a_non_partial_class_gets_RLK0010_from_the_generator()
    {
        var run = Run("""
            public class Outer
            {
                public partial class Inner(IRedlock redlock)
                {
                    [DistributedLock("a:{id}", TtlMs = 1000)]
                    public partial Task RunAsync(string id);

                    private Task RunAsyncCore(string id) => Task.CompletedTask;
                }
            }
            """);

        var rlk0010 = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RLK0010", rlk0010.Id);
        Assert.Contains("Type 'Outer' must be declared partial", rlk0010.GetMessage(), StringComparison.Ordinal);
        Assert.True(rlk0010.Location.IsInSource, "RLK0010 must point into the source tree, so #pragma and the code fix apply.");
        Assert.Equal(["CS8795"], CompilerIds(run, DiagnosticSeverity.Error));
    }

    [Fact]
    public void Non_partial_class_gets_RLK0010_from_the_generator()
    {
        var run = Run("""
            public sealed class Billing(IRedlock redlock)
            {
                [DistributedLock("a:{id}", TtlMs = 1000)]
                public partial Task RunAsync(string id);

                [DistributedLock("b:{id}", TtlMs = 1000)]
                public partial Task StopAsync(string id);

                private Task RunAsyncCore(string id) => Task.CompletedTask;

                private Task StopAsyncCore(string id) => Task.CompletedTask;
            }
            """);

        var rlk0010 = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RLK0010", rlk0010.Id);
        Assert.Contains("Type 'Billing' must be declared partial", rlk0010.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("CS0751", CompilerIds(run, DiagnosticSeverity.Error));
    }

    [Fact]
    public void Stubs_add_no_compiler_warning_not_even_an_unread_engine_parameter()
    {
        var run = Run("""
            public sealed partial class Broken(IRedlock redlock)
            {
                [DistributedLock("account:{accountId}")]
                public partial Task MissingTtlAsync(string accountId);

                [DistributedLock("jobs", TtlMs = 1000)]
                public static partial Task StaticWithInstanceEngineAsync();

                private Task MissingTtlAsyncCore(string accountId) => Task.CompletedTask;

                private static Task StaticWithInstanceEngineAsyncCore() => Task.CompletedTask;
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        GeneratorAssert.AssertNoWarnings(run.Output);
        Assert.Equal(["RLK0001", "RLK0014"], GeneratorAssert.AnalyzerDiagnostics(run.Output).Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Null_key_is_called_null()
    {
        var run = Run("""
            public sealed partial class Service(IRedlock redlock)
            {
                [DistributedLock(null, TtlMs = 1000)]
                public partial Task RunAsync(string id);

                private Task RunAsyncCore(string id) => Task.CompletedTask;
            }
            """);

        // The null literal's own CS8625 is an error under TreatWarningsAsErrors, so the generator reports this RLK0005
        // (once: the analyzer leaves it out), and the stub adds nothing to CS8625.
        var rlk0005 = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("RLK0005", rlk0005.Id);
        Assert.StartsWith("The key template null is malformed: the key is null;", rlk0005.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(["CS8625"], CompilerIds(run, DiagnosticSeverity.Warning));
        Assert.Empty(GeneratorAssert.AnalyzerDiagnostics(run.Output));
    }

    private static GeneratorRun Run(string source) => TestCompilation.RunGenerator(TestCompilation.Create(Usings + source));

    private static string[] CompilerIds(GeneratorRun run, DiagnosticSeverity atLeast) =>
        run.Output.GetDiagnostics().Where(d => d.Severity >= atLeast).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToArray();
}
