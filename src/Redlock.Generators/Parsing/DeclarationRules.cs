using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// How the method must be declared for the generator to implement it: a partial declaration without a body (RLK0009),
/// in types that are all partial (RLK0010), with no by-reference parameters an async wrapper cannot take (RLK0011).
/// </summary>
internal static class DeclarationRules
{
    /// <summary>Checks the method's own declaration; true when the generator may implement it.</summary>
    public static bool CheckMethod(IMethodSymbol method, MethodDeclarationSyntax declaration, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
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
        else if (method.PartialImplementationPart is { } implementation && !IsGeneratedWrapper(implementation, cancellationToken))
        {
            problem = "it already has an implementing declaration; remove it and move the body to " + CoreMethodMatcher.CoreName(method);
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticDescriptors.MethodNotPartialDeclaration, declaration.Identifier.GetLocation(), method.Name, problem);
        }

        return problem is null;
    }

    /// <summary>RLK0011: an async wrapper cannot take <c>ref</c>, <c>out</c> or <c>in</c> parameters.</summary>
    public static void CheckByRefParameters(IMethodSymbol method, MethodDeclarationSyntax declaration, DiagnosticCollector diagnostics)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            if (parameter.RefKind != RefKind.None)
            {
                var syntax = i < declaration.ParameterList.Parameters.Count ? declaration.ParameterList.Parameters[i] : null;
                var modifier = syntax?.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword));
                var location = modifier is { } token && token != default ? token.GetLocation() : syntax?.GetLocation();
                diagnostics.Add(DiagnosticDescriptors.ByRefParameter, location, parameter.Name, SignatureReader.RefKindText(parameter.RefKind));
            }
        }
    }

    /// <summary>
    /// RLK0010 for each enclosing type that is not partial, for the generator to report. Each type is reported once, by
    /// the first <c>[DistributedLock]</c> method it holds (nested types included), however many it holds.
    /// </summary>
    public static void CheckContainingTypes(IMethodSymbol method, KnownTypes known, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (NonPartialDeclaration(type, cancellationToken) is { } declaration
                && FirstLockMethod(type, known) is { } first
                && SymbolEqualityComparer.Default.Equals(first, method))
            {
                diagnostics.AddForGenerator(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier.GetLocation(), type.Name, method.Name);
            }
        }
    }

    /// <summary>True when <paramref name="method"/> and every type around it are declared partial.</summary>
    public static bool AllTypesPartial(IMethodSymbol method, CancellationToken cancellationToken)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (NonPartialDeclaration(type, cancellationToken) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first declaration of <paramref name="type"/> that lacks <c>partial</c>, if any.</summary>
    private static TypeDeclarationSyntax? NonPartialDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
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

    private static IMethodSymbol? FirstLockMethod(INamedTypeSymbol type, KnownTypes known)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method && known.HasLockAttribute(method))
            {
                return method;
            }

            if (member is INamedTypeSymbol nested && FirstLockMethod(nested, known) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>True when the implementing declaration is the one this generator wrote (the analyzer sees generated code).</summary>
    private static bool IsGeneratedWrapper(IMethodSymbol implementation, CancellationToken cancellationToken)
    {
        foreach (var reference in implementation.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax)
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
}
