using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// The pipeline caches: after an edit that does not change a lock method, every tracked step is Cached or Unchanged and
/// every output is Cached; and no step output holds a symbol, syntax node, location, tree or compilation.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private const string Service = """
        using System.Threading;
        using System.Threading.Tasks;
        using RedlockAspects;

        namespace Demo;

        public sealed partial class Billing(IRedlock redlock)
        {
            [DistributedLock("key:<accountId>", TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

            [DistributedLock("refund:{accountId}", TtlMs = 1000)]
            public partial Task<decimal> RefundAsync(string accountId, CancellationToken ct);

            private Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct) => Task.CompletedTask;

            private Task<decimal> RefundAsyncCore(string accountId, CancellationToken ct) => Task.FromResult(0m);
        }
        """;

    private const string Unrelated = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    [Fact]
    public void Editing_an_unrelated_file_keeps_every_step_cached()
    {
        var (first, second) = RunTwice(
            TestCompilation.Create(Service, Unrelated),
            c => Replace(c, 1, Unrelated.Replace("x * 2", "x + x") + "\npublic sealed class Added { }\n"));

        AssertCachedOrUnchanged(second);
        AssertOutputsCached(second);
        AssertNoBannedObjects(first);
        AssertNoBannedObjects(second);
    }

    [Fact]
    public void Editing_the_same_file_elsewhere_leaves_the_models_unchanged()
    {
        var (first, second) = RunTwice(
            TestCompilation.Create(Service, Unrelated),
            c => Replace(c, 0, Service.Replace("namespace Demo;", "namespace Demo;\n\n// a comment\npublic sealed class AlsoHere { public int X { get; set; } }")));

        AssertCachedOrUnchanged(second);
        AssertOutputsCached(second);
        AssertNoBannedObjects(second);
        Assert.Equal(first.Result.GeneratedTrees.Select(t => t.ToString()), second.Result.GeneratedTrees.Select(t => t.ToString()));
    }

    [Fact]
    public void Changing_a_lock_method_regenerates_only_that_wrapper()
    {
        var (_, second) = RunTwice(
            TestCompilation.Create(Service, Unrelated),
            c => Replace(c, 0, Service.Replace("\"refund:{accountId}\", TtlMs = 1000", "\"refund:{accountId}\", TtlMs = 2000")));

        var reasons = second.Result.Results[0].TrackedOutputSteps
            .SelectMany(s => s.Value)
            .SelectMany(step => step.Outputs)
            .Select(o => o.Reason)
            .ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(IncrementalStepRunReason.Cached, reasons);
        Assert.Contains("ttlMs: 2000", second.Result.GeneratedTrees.Single(t => t.FilePath.EndsWith("RefundAsync.g.cs", StringComparison.Ordinal)).ToString());
    }

    private static (GeneratorDriverRunResultHolder First, GeneratorDriverRunResultHolder Second) RunTwice(CSharpCompilation compilation, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var run = TestCompilation.RunGenerator(compilation);
        Assert.Equal(2, run.Result.GeneratedTrees.Length);
        var second = run.Driver.RunGenerators(edit(compilation)).GetRunResult();
        return (new GeneratorDriverRunResultHolder(run.Result), new GeneratorDriverRunResultHolder(second));
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string text)
    {
        var old = compilation.SyntaxTrees[index];
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, TestCompilation.ParseOptions, old.FilePath));
    }

    private static void AssertCachedOrUnchanged(GeneratorDriverRunResultHolder run)
    {
        var steps = run.Result.Results[0].TrackedSteps;
        foreach (var name in TrackedSteps)
        {
            Assert.True(steps.ContainsKey(name), $"The step '{name}' did not run.");
            foreach (var output in steps[name].SelectMany(step => step.Outputs))
            {
                Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' produced {output.Reason} for {output.Value}.");
            }
        }
    }

    private static void AssertOutputsCached(GeneratorDriverRunResultHolder run)
    {
        var outputs = run.Result.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static void AssertNoBannedObjects(GeneratorDriverRunResultHolder run)
    {
        var result = run.Result.Results[0];
        foreach (var (name, steps) in result.TrackedSteps.Where(s => TrackedSteps.Contains(s.Key)))
        {
            foreach (var step in steps)
            {
                foreach (var (value, _) in step.Outputs)
                {
                    Visit(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void Visit(object? node, string step, HashSet<object> seen)
    {
        if (node is null || !seen.Add(node))
        {
            return;
        }

        Assert.False(
            node is ISymbol or SyntaxNode or Location or SyntaxTree or Compilation or SemanticModel,
            $"Step '{step}' holds a {node.GetType().Name}; models must hold only equatable data.");

        var type = node.GetType();
        if (type.IsPrimitive || type.IsEnum || node is string)
        {
            return;
        }

        if (node is IEnumerable items)
        {
            foreach (var item in items)
            {
                Visit(item, step, seen);
            }
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Visit(field.GetValue(node), step, seen);
        }
    }

    private sealed record GeneratorDriverRunResultHolder(GeneratorDriverRunResult Result);

    [Fact]
    public void Every_tracking_name_is_known()
    {
        Assert.Equal(ImmutableArray.Create(TrackingNames.Parse, TrackingNames.ToEmit).OrderBy(s => s), TrackedSteps.OrderBy(s => s));
    }
}
