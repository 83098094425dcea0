using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// The one place that decides whether a <c>[DistributedLock]</c> method is valid and what its wrapper looks like.
/// The generator keeps the model (and drops the diagnostics); the analyzer reports the diagnostics (and drops the model),
/// so the rules cannot drift apart.
/// </summary>
internal static class LockMethodParser
{
    /// <summary>Parses the method that <paramref name="attribute"/> is applied to.</summary>
    /// <param name="method">The method symbol; a partial implementation is normalized to its definition.</param>
    /// <param name="declaration">The declaration that carries the attribute.</param>
    /// <param name="attribute">The attribute.</param>
    /// <param name="compilation">The compilation.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public static LockMethodParseResult Parse(
        IMethodSymbol method,
        MethodDeclarationSyntax declaration,
        AttributeData attribute,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        method = method.PartialDefinitionPart ?? method;
        var known = KnownTypes.From(compilation);
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
            return LockMethodParseResult.Invalid(diagnostics);
        }

        // 1. The attribute's values.
        var settings = ReadSettings(method, attribute, attributeSyntax, diagnostics);

        // 2. The signature.
        var returnKind = known.Classify(method.ReturnType);
        var returnsValue = returnKind is AwaitableKind.TaskOfT or AwaitableKind.ValueTaskOfT;
        if (returnKind is null)
        {
            diagnostics.Add(DiagnosticDescriptors.NotAwaitableReturnType, declaration.ReturnType.GetLocation(), method.Name, SymbolText.Message(method.ReturnType));
        }
        else if (settings.IsSkip && returnsValue)
        {
            diagnostics.Add(
                DiagnosticDescriptors.SkipWithResult,
                NamedArgument(attributeSyntax, "OnBusy")?.GetLocation() ?? attributeSyntax?.GetLocation(),
                method.Name,
                SymbolText.Message(method.ReturnType));
        }

        var isPartialDeclaration = CheckIsPartialDeclaration(method, declaration, diagnostics);

        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            if (parameter.RefKind != RefKind.None)
            {
                var syntax = i < declaration.ParameterList.Parameters.Count ? declaration.ParameterList.Parameters[i] : null;
                var modifier = syntax?.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword));
                var location = modifier is { } token && token != default ? token.GetLocation() : syntax?.GetLocation();
                diagnostics.Add(DiagnosticDescriptors.ByRefParameter, location, parameter.Name, RefKindText(parameter.RefKind));
            }
        }

        // 3. The key.
        var templateText = attribute.ConstructorArguments[0].Value as string;
        var templateExpression = TemplateArgument(attributeSyntax);
        var template = KeyTemplateParser.Parse(templateText);
        KeyModel key;
        if (template.Error is { } error)
        {
            diagnostics.Add(
                DiagnosticDescriptors.MalformedKeyTemplate,
                TemplateLocation(templateExpression, templateText, error.Start, error.Length) ?? attributeSyntax?.GetLocation(),
                templateText ?? string.Empty,
                error.Message);
            key = default;
        }
        else
        {
            key = KeyTemplateBinder.Bind(template, method, known, (segment, reason) => diagnostics.Add(
                DiagnosticDescriptors.UnknownPlaceholder,
                TemplateLocation(templateExpression, templateText, segment.Start, segment.Length) ?? attributeSyntax?.GetLocation(),
                segment.PathText,
                reason));
        }

        // 4. The types it lives in.
        var containingTypes = ReadContainingTypes(method, diagnostics, cancellationToken, out var allTypesPartial);

        // 5. The engine.
        var engine = EngineLocator.Find(method, known);
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
            : CoreMethodMatcher.Find(method, known, returnsValue);
        if (!core.Found)
        {
            diagnostics.Add(DiagnosticDescriptors.CoreMissing, identifier, method.Name, CoreMethodMatcher.CoreName(method), "add " + CoreMethodMatcher.Expected(method));
        }
        else if (core.Mismatch is { } mismatch)
        {
            diagnostics.Add(
                DiagnosticDescriptors.CoreMismatch,
                CoreMethodMatcher.IdentifierLocation(mismatch) ?? identifier,
                CoreMethodMatcher.CoreName(method),
                method.Name,
                core.MismatchReason ?? "its signature differs",
                CoreMethodMatcher.Expected(method));
        }

        if (diagnostics.HasErrors || engine.Engine is not { } found)
        {
            // No wrapper. Where the declaration itself is sound, a throwing stub still implements it, so the compiler adds
            // no CS8795 of its own: the command-line compiler skips analyzers when a compilation has errors, and the RLK
            // errors are what explain the problem.
            var stub = isPartialDeclaration && allTypesPartial
                ? Stub(method, declaration, containingTypes)
                : (LockMethodModel?)null;
            return new LockMethodParseResult(stub, diagnostics.Items);
        }

        var model = new LockMethodModel(
            HintName: HintName(method),
            Namespace: method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
            ContainingTypes: containingTypes.ToEquatableArray(),
            Modifiers: string.Join(" ", declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword)).Select(m => m.Text)),
            ReturnType: SymbolText.Code(method.ReturnType),
            ReturnsValue: returnsValue,
            Name: SymbolText.Identifier(method.Name),
            TypeParameters: TypeParameterList(method.TypeParameters),
            Constraints: method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!).ToEquatableArray(),
            Parameters: method.Parameters.Select((p, i) => new ParameterModel(
                SymbolText.Identifier(p.Name),
                SymbolText.Code(p.Type),
                i == 0 && method.IsExtensionMethod ? "this " : p.IsParams ? "params " : string.Empty)).ToEquatableArray(),
            CancellationTokenIndex: CancellationTokenIndex(method, known),
            Key: key,
            Settings: settings,
            SettingsFieldName: "__" + method.Name + OverloadSuffix(method) + "_LockSettings",
            EngineExpression: found.Expression,
            CoreName: SymbolText.Identifier(CoreMethodMatcher.CoreName(method)),
            CoreTakesLease: core.TakesLease,
            IsStub: false);

        return new LockMethodParseResult(model, diagnostics.Items);
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

    /// <summary>A throwing implementation for a method that cannot be wrapped (see the RLK errors on it).</summary>
    private static LockMethodModel Stub(IMethodSymbol method, MethodDeclarationSyntax declaration, List<ContainingTypeModel> containingTypes) => new(
        HintName: HintName(method),
        Namespace: method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
        ContainingTypes: containingTypes.ToEquatableArray(),
        Modifiers: string.Join(" ", declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword)).Select(m => m.Text)),
        ReturnType: method.ReturnsVoid ? "void" : (method.ReturnsByRef ? "ref " : method.ReturnsByRefReadonly ? "ref readonly " : string.Empty) + SymbolText.Code(method.ReturnType),
        ReturnsValue: false,
        Name: SymbolText.Identifier(method.Name),
        TypeParameters: TypeParameterList(method.TypeParameters),
        Constraints: method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!).ToEquatableArray(),
        Parameters: method.Parameters.Select((p, i) => new ParameterModel(
            SymbolText.Identifier(p.Name),
            SymbolText.Code(p.Type),
            (i == 0 && method.IsExtensionMethod ? "this " : p.IsParams ? "params " : string.Empty) + p.RefKind switch
            {
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.In => "in ",
                RefKind.None => string.Empty,
                _ => "ref readonly ",
            })).ToEquatableArray(),
        CancellationTokenIndex: -1,
        Key: default,
        Settings: default,
        SettingsFieldName: string.Empty,
        EngineExpression: string.Empty,
        CoreName: string.Empty,
        CoreTakesLease: false,
        IsStub: true);

    private static LockSettingsModel ReadSettings(IMethodSymbol method, AttributeData attribute, AttributeSyntax? syntax, DiagnosticCollector diagnostics)
    {
        int? ttl = null;
        int wait = -1, onBusy = 0, maxHold = 0, minHold = 0;
        var autoExtend = true;
        var fencing = false;
        var reentrant = true;
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "TtlMs" when argument.Value.Value is int value:
                    ttl = value;
                    break;
                case "WaitMs" when argument.Value.Value is int value:
                    wait = value;
                    break;
                case "OnBusy" when argument.Value.Value is int value:
                    onBusy = value;
                    break;
                case "AutoExtend" when argument.Value.Value is bool value:
                    autoExtend = value;
                    break;
                case "MaxHoldMs" when argument.Value.Value is int value:
                    maxHold = value;
                    break;
                case "MinHoldMs" when argument.Value.Value is int value:
                    minHold = value;
                    break;
                case "Fencing" when argument.Value.Value is bool value:
                    fencing = value;
                    break;
                case "Reentrant" when argument.Value.Value is bool value:
                    reentrant = value;
                    break;
            }
        }

        Location? At(string name) => NamedArgument(syntax, name)?.GetLocation() ?? syntax?.GetLocation();

        if (ttl is null)
        {
            diagnostics.Add(DiagnosticDescriptors.MissingTtl, syntax?.Name.GetLocation() ?? syntax?.GetLocation(), method.Name);
        }
        else if (ttl <= 0)
        {
            diagnostics.Add(DiagnosticDescriptors.NonPositiveTtl, At("TtlMs"), ttl.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (wait < -1)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidSettingValue, At("WaitMs"), "WaitMs", Text(wait), "use -1 for the engine's retry settings, 0 for a single attempt, or a wait budget in milliseconds");
        }

        if (onBusy is not (LockSettingsModel.OnBusyThrow or LockSettingsModel.OnBusySkip))
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidSettingValue, At("OnBusy"), "OnBusy", Text(onBusy), "use OnBusy.Throw or OnBusy.Skip");
        }

        if (maxHold < 0)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidSettingValue, At("MaxHoldMs"), "MaxHoldMs", Text(maxHold), "use 0 for no limit, or a positive number of milliseconds");
        }
        else if (maxHold > 0 && !autoExtend)
        {
            diagnostics.Add(DiagnosticDescriptors.MaxHoldWithoutAutoExtend, At("MaxHoldMs"), Text(maxHold));
        }

        if (minHold < 0)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidSettingValue, At("MinHoldMs"), "MinHoldMs", Text(minHold), "use 0 to release at once, or a positive number of milliseconds");
        }

        return new LockSettingsModel(ttl ?? 0, wait, onBusy, autoExtend, maxHold, minHold, fencing, reentrant);

        static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool CheckIsPartialDeclaration(IMethodSymbol method, MethodDeclarationSyntax declaration, DiagnosticCollector diagnostics)
    {
        string? problem = null;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            problem = "it is not declared partial";
        }
        else if (declaration.Body is not null || declaration.ExpressionBody is not null)
        {
            problem = "it has a body, but the generator writes the implementation; move the body to " + CoreMethodMatcher.CoreName(method);
        }
        else if (method.PartialImplementationPart is { } implementation && !IsGeneratedWrapper(implementation))
        {
            problem = "it already has an implementing declaration; remove it and move the body to " + CoreMethodMatcher.CoreName(method);
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticDescriptors.MethodNotPartialDeclaration, declaration.Identifier.GetLocation(), method.Name, problem);
        }

        return problem is null;
    }

    /// <summary>True when the implementing declaration is the one this generator wrote (the analyzer sees generated code).</summary>
    private static bool IsGeneratedWrapper(IMethodSymbol implementation)
    {
        foreach (var reference in implementation.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is MethodDeclarationSyntax syntax)
            {
                foreach (var attribute in syntax.AttributeLists.SelectMany(l => l.Attributes))
                {
                    if (attribute.Name.ToString().EndsWith("GeneratedCode", System.StringComparison.Ordinal)
                        && attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal
                        && literal.Token.ValueText == Emitting.LockWrapperEmitter.GeneratorName)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static List<ContainingTypeModel> ReadContainingTypes(IMethodSymbol method, DiagnosticCollector diagnostics, CancellationToken cancellationToken, out bool allPartial)
    {
        allPartial = true;
        var types = new List<ContainingTypeModel>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (NonPartialDeclaration(type, cancellationToken) is { } typeDeclaration)
            {
                diagnostics.Add(DiagnosticDescriptors.TypeNotPartial, typeDeclaration.Identifier.GetLocation(), type.Name, method.Name);
                allPartial = false;
            }

            var keyword = type.TypeKind switch
            {
                TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => type.IsRecord ? "record" : "class",
            };
            types.Insert(0, new ContainingTypeModel(keyword, SymbolText.Identifier(type.Name), TypeParameterList(type.TypeParameters)));
        }

        return types;
    }

    /// <summary>The first declaration of <paramref name="type"/> that lacks <c>partial</c>, if any (RLK0010).</summary>
    public static TypeDeclarationSyntax? NonPartialDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration;
            }
        }

        return null;
    }

    private static string TypeParameterList(IEnumerable<ITypeParameterSymbol> parameters)
    {
        var names = parameters.Select(p => SymbolText.Identifier(p.Name)).ToList();
        return names.Count == 0 ? string.Empty : "<" + string.Join(", ", names) + ">";
    }

    /// <summary>A constraint clause as C# requires it on a partial method's implementing declaration.</summary>
    private static string? Constraint(ITypeParameterSymbol parameter)
    {
        var parts = SymbolText.Constraints(parameter, SymbolText.Code);
        return parts.Count == 0 ? null : "where " + SymbolText.Identifier(parameter.Name) + " : " + string.Join(", ", parts);
    }

    private static string HintName(IMethodSymbol method)
    {
        var names = new List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            names.Insert(0, type.Arity == 0 ? type.Name : type.Name + "_" + type.Arity);
        }

        if (method.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            names.Insert(0, ns.ToDisplayString());
        }

        names.Add(method.Name + OverloadSuffix(method));
        return string.Join(".", names) + ".g.cs";
    }

    /// <summary>Tells overloads apart: empty for the first <c>[DistributedLock]</c> method of a name, then _1, _2, … in declaration order.</summary>
    private static string OverloadSuffix(IMethodSymbol method)
    {
        var index = 0;
        foreach (var sibling in method.ContainingType.GetMembers(method.Name))
        {
            if (SymbolEqualityComparer.Default.Equals(sibling, method))
            {
                break;
            }

            if (sibling is IMethodSymbol other && other.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypes.AttributeMetadataName))
            {
                index++;
            }
        }

        return index == 0 ? string.Empty : "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static AttributeArgumentSyntax? NamedArgument(AttributeSyntax? syntax, string name) =>
        syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static ExpressionSyntax? TemplateArgument(AttributeSyntax? syntax) =>
        syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression;

    /// <summary>
    /// Points at the offending characters inside the string literal when the literal spells its value verbatim
    /// (no escapes); otherwise at the whole argument.
    /// </summary>
    private static Location? TemplateLocation(ExpressionSyntax? expression, string? template, int start, int length)
    {
        if (expression is null)
        {
            return null;
        }

        if (template is not null && length > 0 && expression is LiteralExpressionSyntax literal && literal.Token.IsKind(SyntaxKind.StringLiteralToken))
        {
            var text = literal.Token.Text;
            var offset = text == "\"" + template + "\"" ? 1 : text == "@\"" + template + "\"" && template.IndexOf('"') < 0 ? 2 : -1;
            if (offset > 0)
            {
                return Location.Create(expression.SyntaxTree, new TextSpan(literal.Token.SpanStart + offset + start, length));
            }
        }

        return expression.GetLocation();
    }

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Out => "out",
        RefKind.In => "in",
        RefKind.Ref => "ref",
        _ => "ref readonly",
    };
}

/// <summary>The parser's answer: a model when the method is valid, and every diagnostic found either way.</summary>
internal sealed class LockMethodParseResult
{
    public LockMethodParseResult(LockMethodModel? model, IReadOnlyList<DiagnosticInfo> diagnostics)
    {
        Model = model;
        Diagnostics = diagnostics;
    }

    public LockMethodModel? Model { get; }

    public IReadOnlyList<DiagnosticInfo> Diagnostics { get; }

    public static LockMethodParseResult Invalid(DiagnosticCollector diagnostics) => new(null, diagnostics.Items);
}
