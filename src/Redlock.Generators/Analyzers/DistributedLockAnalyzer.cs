using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators.Analyzers;

/// <summary>
/// Reports the <c>RLK</c> diagnostics for <c>[DistributedLock]</c> methods, from the parser the generator uses; all but
/// RLK0010 and a null key's RLK0005, which the generator reports (see <see cref="Model.DiagnosticInfo"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DistributedLockAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.MissingTtl,
        DiagnosticDescriptors.NonPositiveTtl,
        DiagnosticDescriptors.InvalidSettingValue,
        DiagnosticDescriptors.MaxHoldWithoutAutoExtend,
        DiagnosticDescriptors.MalformedKeyTemplate,
        DiagnosticDescriptors.UnknownPlaceholder,
        DiagnosticDescriptors.NotAwaitableReturnType,
        DiagnosticDescriptors.SkipWithResult,
        DiagnosticDescriptors.MethodNotPartialDeclaration,
        DiagnosticDescriptors.TypeNotPartial,
        DiagnosticDescriptors.ByRefParameter,
        DiagnosticDescriptors.NoEngine,
        DiagnosticDescriptors.SeveralEngines,
        DiagnosticDescriptors.StaticMethodWithoutStaticEngine,
        DiagnosticDescriptors.CoreMissing,
        DiagnosticDescriptors.CoreMismatch,
        DiagnosticDescriptors.NestedNonReentrantLock);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        // The wrapper carries [GeneratedCode], and a partial method's attributes merge, so the user's own declaration
        // counts as generated code too: analyze it anyway (the diagnostics point at the user's code).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownTypes.From(start.Compilation);
            if (known.Attribute is not { } attributeType)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeMethod(symbolContext, known), SymbolKind.Method);
            start.RegisterOperationAction(operationContext => NestedLockCalls.Analyze(operationContext, attributeType), OperationKind.Invocation);
        });
    }

    /// <summary>
    /// Reports what the parser found for the analyzer. RLK0010 is never among it (the generator reports it); it stays in
    /// <see cref="SupportedDiagnostics"/> so that every id is declared in one list.
    /// </summary>
    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownTypes known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            // The implementing part of a partial method: its definition is analyzed instead.
            return;
        }

        var attribute = method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.Attribute));
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax { Parent.Parent: MethodDeclarationSyntax declaration })
        {
            return;
        }

        foreach (var diagnostic in LockMethodParser.Parse(method, declaration, attribute, known, context.CancellationToken).Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
