using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Emitting;
using RedlockAspects.Generators.Model;
using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators;

/// <summary>
/// Writes the implementation of every valid partial method marked <c>[DistributedLock]</c>: build the key, acquire,
/// run <c>&lt;Name&gt;Core</c>, release. Invalid methods get no wrapper (at most a throwing stub, so the compiler does not
/// drown the explanation); <see cref="Analyzers.DistributedLockAnalyzer"/> reports why, from the same parser. Reported
/// here instead are the few problems that always come with a C# diagnostic of their own (see <see cref="DiagnosticInfo"/>):
/// a command-line build with C# errors runs no analyzers, but it does report generator diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DistributedLockGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.AttributeMetadataName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (syntaxContext, cancellationToken) => Parse(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var toEmit = methods
            .Where(static parsed => parsed.Model is not null)
            .Select(static (parsed, _) => parsed.Model!.Value)
            .WithTrackingName(TrackingNames.ToEmit);

        // Paired with the compilation only to place each diagnostic in its tree; there is no item (and so no work on an
        // edit) unless the code has such a problem.
        var diagnostics = methods
            .SelectMany(static (parsed, _) => parsed.Diagnostics)
            .Combine(context.CompilationProvider);

        context.RegisterSourceOutput(toEmit, static (output, model) => output.AddSource(model.Signature.HintName, LockWrapperEmitter.Emit(model)));
        context.RegisterSourceOutput(diagnostics, static (output, pair) => output.ReportDiagnostic(pair.Left.ToDiagnostic(pair.Right)));
    }

    private static ParsedLockMethod Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method
            || context.TargetNode is not MethodDeclarationSyntax declaration
            || context.Attributes.IsEmpty)
        {
            return default;
        }

        var result = LockMethodParser.Parse(method, declaration, context.Attributes[0], KnownTypes.From(context.SemanticModel.Compilation), cancellationToken);
        return new ParsedLockMethod(result.Model, result.GeneratorDiagnostics);
    }

    /// <summary>The generator's part of a parse: what to write, and the diagnostics it reports itself.</summary>
    private readonly record struct ParsedLockMethod(LockMethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
