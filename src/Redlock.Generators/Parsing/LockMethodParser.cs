using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// The one place that decides whether a <c>[DistributedLock]</c> method is valid and what gets generated for it. The
/// generator keeps the model (and drops the diagnostics); the analyzer reports the diagnostics (and drops the model),
/// so the rules cannot drift apart. Each rule lives in its own reader; this class runs them in order.
/// </summary>
internal static class LockMethodParser
{
    /// <summary>Parses the method that <paramref name="attribute"/> is applied to.</summary>
    /// <param name="method">The method symbol; a partial implementation is normalized to its definition.</param>
    /// <param name="declaration">The declaration that carries the attribute.</param>
    /// <param name="attribute">The attribute.</param>
    /// <param name="known">The compilation's well-known types.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public static LockMethodParseResult Parse(
        IMethodSymbol method,
        MethodDeclarationSyntax declaration,
        AttributeData attribute,
        KnownTypes known,
        CancellationToken cancellationToken)
    {
        method = method.PartialDefinitionPart ?? method;
        var diagnostics = new DiagnosticCollector();
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        if (attribute.AttributeClass is null
            || attribute.AttributeClass.TypeKind == TypeKind.Error
            || attribute.ConstructorArguments.Length != 1
            || known.Engine is null
            || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error
            || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
        {
            // The compiler already reports a broken attribute.
            return new LockMethodParseResult(null, diagnostics);
        }

        // 1. The attribute's values.
        var settings = LockSettingsReader.Read(method, attribute, attributeSyntax, diagnostics);

        // 2. The signature.
        var returnKind = known.Classify(method.ReturnType);

        // A Skip method's Task<bool> says whether the body ran when its body returns no value; otherwise it is the body's.
        var reportsRan = CoreMethodMatcher.ReportsRan(method, known, settings.IsSkip);
        var returnsValue = returnKind is AwaitableKind.TaskOfT or AwaitableKind.ValueTaskOfT && !reportsRan;
        var coreReturnType = CoreMethodMatcher.CoreReturnType(method, known, reportsRan);
        if (returnKind is null)
        {
            diagnostics.Add(DiagnosticDescriptors.NotAwaitableReturnType, declaration.ReturnType.GetLocation(), method.Name, SymbolText.Message(method.ReturnType));
        }
        else if (settings.IsSkip && returnsValue)
        {
            diagnostics.Add(
                DiagnosticDescriptors.SkipWithResult,
                AttributeLocations.Argument(attributeSyntax, DistributedLockAttributeNames.OnBusy),
                method.Name,
                SymbolText.Message(method.ReturnType));
        }

        var isPartialDeclaration = DeclarationRules.CheckMethod(method, declaration, diagnostics, cancellationToken);
        DeclarationRules.CheckByRefParameters(method, declaration, diagnostics);

        // 3. The key.
        var key = ReadKey(method, attribute, attributeSyntax, known, diagnostics);

        // 4. The types it lives in.
        DeclarationRules.CheckContainingTypes(method, known, diagnostics, cancellationToken);

        // 5. The engine.
        var engine = EngineLocator.Find(method, known, cancellationToken);
        var identifier = declaration.Identifier.GetLocation();
        switch (engine.Problem)
        {
            case EngineProblem.Missing:
                diagnostics.Add(DiagnosticDescriptors.NoEngine, identifier, method.Name, method.ContainingType.Name);
                break;
            case EngineProblem.Several:
                diagnostics.Add(DiagnosticDescriptors.SeveralEngines, identifier, method.Name, engine.CandidateNames, method.ContainingType.Name);
                break;
            case EngineProblem.OnlyInstance:
                diagnostics.Add(DiagnosticDescriptors.StaticMethodWithoutStaticEngine, identifier, method.Name, engine.CandidateNames, method.ContainingType.Name);
                break;
        }

        // 6. The body.
        // Without a supported return type there is no signature to hold the body to (RLK0007 says why).
        var core = returnKind is null
            ? new CoreLookup(found: true, takesLease: false, mismatch: null, mismatchReason: null)
            : CoreMethodMatcher.Find(method, known, returnsValue, coreReturnType);
        if (!core.Found)
        {
            diagnostics.Add(DiagnosticDescriptors.CoreMissing, identifier, method.Name, CoreMethodMatcher.CoreName(method), "add " + CoreMethodMatcher.Expected(method, coreReturnType));
        }
        else if (core.Mismatch is { } mismatch)
        {
            diagnostics.Add(
                DiagnosticDescriptors.CoreMismatch,
                CoreMethodMatcher.IdentifierLocation(mismatch, cancellationToken) ?? identifier,
                CoreMethodMatcher.CoreName(method),
                method.Name,
                core.MismatchReason ?? "its signature differs",
                CoreMethodMatcher.Expected(method, coreReturnType));
        }

        var allTypesPartial = DeclarationRules.AllTypesPartial(method, cancellationToken);
        if (diagnostics.HasErrors || !allTypesPartial || engine.Engine is not { } found)
        {
            // No wrapper. Where the declaration itself is sound, a throwing stub still implements it, so the compiler adds
            // no CS8795 of its own: the command-line compiler skips analyzers when a compilation has errors, and the RLK
            // errors are what explain the problem.
            var stub = isPartialDeclaration && allTypesPartial
                ? LockMethodModel.ForStub(SignatureReader.Read(method, declaration, known), new StubModel(StubEngineReads(engine), GeneratedNames.EngineReader(method, known)))
                : (LockMethodModel?)null;
            return new LockMethodParseResult(stub, diagnostics);
        }

        var wrapper = new WrapperModel(
            ReturnsValue: returnsValue,
            ReportsRan: reportsRan,
            CancellationTokenIndex: CancellationTokenIndex(method, known),
            Key: key,
            Settings: settings,
            SettingsFieldName: GeneratedNames.SettingsField(method, known),
            EngineExpression: found.Expression,
            CoreName: SymbolText.Identifier(CoreMethodMatcher.CoreName(method)),
            CoreTakesLease: core.TakesLease);
        return new LockMethodParseResult(LockMethodModel.ForWrapper(SignatureReader.Read(method, declaration, known), wrapper), diagnostics);
    }

    private static KeyModel ReadKey(IMethodSymbol method, AttributeData attribute, AttributeSyntax? attributeSyntax, KnownTypes known, DiagnosticCollector diagnostics)
    {
        var templateText = attribute.ConstructorArguments[0].Value as string;
        var template = KeyTemplateParser.Parse(templateText);
        if (template.Error is { } error)
        {
            var location = AttributeLocations.InTemplate(attributeSyntax, templateText, error.Start, error.Length);
            if (templateText is null && location is not null)
            {
                // A null literal also gets CS8625 where nullable is on, an error under TreatWarningsAsErrors.
                diagnostics.AddForGenerator(DiagnosticDescriptors.MalformedKeyTemplate, location, "null", error.Message);
            }
            else
            {
                diagnostics.Add(DiagnosticDescriptors.MalformedKeyTemplate, location, "\"" + templateText + "\"", error.Message);
            }

            return default;
        }

        return KeyTemplateBinder.Bind(template, method, known, (segment, reason) => diagnostics.Add(
            DiagnosticDescriptors.UnknownPlaceholder,
            AttributeLocations.InTemplate(attributeSyntax, templateText, segment.Start, segment.Length),
            segment.PathText,
            reason));
    }

    private static int CancellationTokenIndex(IMethodSymbol method, KnownTypes known)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            if (known.IsCancellationToken(method.Parameters[i].Type))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The primary-constructor engines the stub reads in place of the wrapper.</summary>
    private static EquatableArray<string> StubEngineReads(EngineLookup engine) =>
        engine.Candidates.Where(c => c.IsParameter).Select(c => SymbolText.Identifier(c.Name)).ToEquatableArray();
}
