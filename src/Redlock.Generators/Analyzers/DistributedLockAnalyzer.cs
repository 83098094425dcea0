using System.Collections.Concurrent;
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
        DiagnosticDescriptors.CoreMismatch);

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

            // Several methods in one non-partial type would each report the type: report it once.
            var reported = new ConcurrentDictionary<string, bool>();
            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, attributeType, reported), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol attributeType, ConcurrentDictionary<string, bool> reported)
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
            var diagnostic = info.ToDiagnostic(context.Compilation);
            if (info.Descriptor.Id == DiagnosticDescriptors.TypeNotPartial.Id
                && !reported.TryAdd(info.Descriptor.Id + "|" + info.Location?.FilePath + "|" + info.Location?.TextSpan, true))
            {
                continue;
            }

            context.ReportDiagnostic(diagnostic);
        }
    }
}
