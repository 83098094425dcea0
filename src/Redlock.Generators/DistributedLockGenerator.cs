using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Emitting;
using RedlockAspects.Generators.Model;
using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators;

/// <summary>
/// Writes the implementation of every valid partial method marked <c>[DistributedLock]</c>: build the key, acquire,
/// run <c>&lt;Name&gt;Core</c>, release. Invalid methods get no wrapper (at most a throwing stub, so the compiler does not
/// drown the explanation); <see cref="Analyzers.DistributedLockAnalyzer"/> reports why, from the same parser.
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
            .Where(static model => model is not null)
            .Select(static (model, _) => model!.Value)
            .WithTrackingName(TrackingNames.ToEmit);

        context.RegisterSourceOutput(toEmit, static (output, model) => output.AddSource(model.HintName, LockWrapperEmitter.Emit(model)));
    }

    private static LockMethodModel? Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method
            || context.TargetNode is not MethodDeclarationSyntax declaration
            || context.Attributes.IsEmpty)
        {
            return null;
        }

        return LockMethodParser.Parse(method, declaration, context.Attributes[0], context.SemanticModel.Compilation, cancellationToken).Model;
    }
}
