using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators.Analyzers;

/// <summary>Reports every <c>RLK</c> diagnostic for <c>[DistributedLock]</c> methods, from the parser the generator uses.</summary>
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
            var attributeType = start.Compilation.GetTypeByMetadataName(KnownTypes.AttributeMetadataName);
            if (attributeType is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeMethod(symbolContext, attributeType), SymbolKind.Method);
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, attributeType), SymbolKind.NamedType);
            start.RegisterOperationAction(operationContext => NestedLockCalls.Analyze(operationContext, attributeType), OperationKind.Invocation);
        });
    }

    /// <summary>
    /// RLK0010 is reported from the type it is about (once, however many methods it holds), so the diagnostic is local
    /// to that type and the make-partial fix applies; the parser applies the same rule to decide whether to generate.
    /// </summary>
    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (LockMethodParser.NonPartialDeclaration(type, context.CancellationToken) is not { } declaration
            || FirstLockMethod(type, attributeType) is not { } method)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier.GetLocation(), type.Name, method.Name));
    }

    private static IMethodSymbol? FirstLockMethod(INamedTypeSymbol type, INamedTypeSymbol attributeType)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType)))
            {
                return method;
            }

            if (member is INamedTypeSymbol nested && FirstLockMethod(nested, attributeType) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            // The implementing part of a partial method: its definition is analyzed instead.
            return;
        }

        var attribute = method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax { Parent.Parent: MethodDeclarationSyntax declaration })
        {
            return;
        }

        var result = LockMethodParser.Parse(method, declaration, attribute, context.Compilation, context.CancellationToken);
        foreach (var info in result.Diagnostics)
        {
            // RLK0010 comes from AnalyzeType.
            if (info.Descriptor.Id != DiagnosticDescriptors.TypeNotPartial.Id)
            {
                context.ReportDiagnostic(info.ToDiagnostic(context.Compilation));
            }
        }
    }
}
