using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// Finds the body method <c>&lt;Name&gt;Core</c> in the containing type and checks its signature: the same type
/// parameters and parameters (types, order, passing), optionally one more trailing <c>RedlockLease</c>, and a return
/// type awaitable to the same result (<c>Task</c> or <c>ValueTask</c>; <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>
/// with the same <c>T</c>). An <c>OnBusy.Skip</c> method declared <c>Task&lt;bool&gt;</c> or <c>ValueTask&lt;bool&gt;</c>
/// whose body returns <c>Task</c> or <c>ValueTask</c> reports whether the body ran (<see cref="ReportsRan"/>).
/// </summary>
internal static class CoreMethodMatcher
{
    public static string CoreName(IMethodSymbol method) => method.Name + "Core";

    /// <summary>
    /// True when an <c>OnBusy.Skip</c> method's <c>Task&lt;bool&gt;</c> or <c>ValueTask&lt;bool&gt;</c> result says
    /// whether its body ran: no <c>&lt;Name&gt;Core</c> returns a value of its own. A body that returns one (say a
    /// <c>Task&lt;bool&gt;</c> of its own) keeps the plain meaning, which a skipped call cannot honour (RLK0008).
    /// </summary>
    public static bool ReportsRan(IMethodSymbol method, KnownTypes known, bool isSkip)
    {
        if (!isSkip
            || known.Classify(method.ReturnType) is not (AwaitableKind.TaskOfT or AwaitableKind.ValueTaskOfT)
            || ((INamedTypeSymbol)method.ReturnType).TypeArguments[0].SpecialType != SpecialType.System_Boolean)
        {
            return false;
        }

        return !Candidates(method).Any(c => known.Classify(c.ReturnType) is AwaitableKind.TaskOfT or AwaitableKind.ValueTaskOfT);
    }

    /// <summary>
    /// The return type the body must have: the method's own, or for a method that <see cref="ReportsRan"/> the same
    /// awaitable without a result (<c>Task&lt;bool&gt;</c> → <c>Task</c>, <c>ValueTask&lt;bool&gt;</c> → <c>ValueTask</c>).
    /// </summary>
    public static ITypeSymbol CoreReturnType(IMethodSymbol method, KnownTypes known, bool reportsRan)
    {
        if (!reportsRan)
        {
            return method.ReturnType;
        }

        var plain = known.Classify(method.ReturnType) == AwaitableKind.ValueTaskOfT ? known.ValueTask : known.Task;
        return (ITypeSymbol?)plain ?? method.ReturnType;
    }

    public static CoreLookup Find(IMethodSymbol method, KnownTypes known, bool returnsValue, ITypeSymbol coreReturnType)
    {
        var candidates = Candidates(method);
        if (candidates.Count == 0)
        {
            return new CoreLookup(found: false, takesLease: false, mismatch: null, mismatchReason: null);
        }

        string? firstReason = null;
        IMethodSymbol? firstMismatch = null;
        foreach (var candidate in candidates)
        {
            var reason = Check(method, candidate, known, returnsValue, coreReturnType, out var takesLease);
            if (reason is null)
            {
                return new CoreLookup(found: true, takesLease, mismatch: null, mismatchReason: null);
            }

            if (firstReason is null)
            {
                firstReason = reason;
                firstMismatch = candidate;
            }
        }

        return new CoreLookup(found: true, takesLease: false, firstMismatch, firstReason);
    }

    /// <summary>The signature the body should have, for messages.</summary>
    public static string Expected(IMethodSymbol method, ITypeSymbol coreReturnType)
    {
        var typeParameters = method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(t => t.Name)) + ">";
        var parameters = string.Join(", ", method.Parameters.Select(p => SymbolText.Message(p.Type) + " " + p.Name));
        return $"'{(method.IsStatic ? "static " : string.Empty)}{SymbolText.Message(coreReturnType)} {CoreName(method)}{typeParameters}({parameters})', optionally with one more trailing RedlockLease parameter";
    }

    public static Location? IdentifierLocation(IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return method.Locations.FirstOrDefault();
    }

    private static List<IMethodSymbol> Candidates(IMethodSymbol method) =>
        method.ContainingType.GetMembers(CoreName(method)).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();

    private static string? Check(IMethodSymbol method, IMethodSymbol core, KnownTypes known, bool returnsValue, ITypeSymbol coreReturnType, out bool takesLease)
    {
        takesLease = false;
        if (method.IsStatic && !core.IsStatic)
        {
            return $"it is an instance method, but '{method.Name}' is static and cannot call it";
        }

        if (core.TypeParameters.Length != method.TypeParameters.Length)
        {
            return $"it has {core.TypeParameters.Length} type parameter(s), expected {method.TypeParameters.Length}";
        }

        var constructed = core.TypeParameters.Length == 0
            ? core
            : core.Construct(method.TypeParameters.Cast<ITypeSymbol>().ToArray());

        var expectedCount = method.Parameters.Length;
        var actual = constructed.Parameters;
        if (actual.Length == expectedCount + 1 && known.IsLease(actual[expectedCount].Type) && actual[expectedCount].RefKind == RefKind.None)
        {
            takesLease = true;
        }
        else if (actual.Length != expectedCount)
        {
            return $"it has {actual.Length} parameter(s), expected {expectedCount} (or {expectedCount + 1} with a trailing RedlockLease)";
        }

        for (var i = 0; i < expectedCount; i++)
        {
            var expected = method.Parameters[i];
            var parameter = actual[i];
            if (!KnownTypes.Same(expected.Type, parameter.Type))
            {
                return $"parameter {i + 1} ('{parameter.Name}') is '{SymbolText.Message(parameter.Type)}', expected '{SymbolText.Message(expected.Type)}'";
            }

            if (parameter.RefKind != RefKind.None)
            {
                return $"parameter {i + 1} ('{parameter.Name}') is passed by reference";
            }
        }

        var expectedKind = known.Classify(coreReturnType);
        var actualKind = known.Classify(constructed.ReturnType);
        var returnProblem = $"it returns '{SymbolText.Message(constructed.ReturnType)}', expected '{SymbolText.Message(coreReturnType)}'";
        if (actualKind is null || expectedKind is null)
        {
            return returnProblem;
        }

        var actualValue = actualKind is AwaitableKind.TaskOfT or AwaitableKind.ValueTaskOfT;
        if (actualValue != returnsValue)
        {
            return returnProblem;
        }

        if (returnsValue
            && !KnownTypes.Same(((INamedTypeSymbol)constructed.ReturnType).TypeArguments[0], ((INamedTypeSymbol)method.ReturnType).TypeArguments[0]))
        {
            return returnProblem;
        }

        return null;
    }
}

internal sealed class CoreLookup
{
    public CoreLookup(bool found, bool takesLease, IMethodSymbol? mismatch, string? mismatchReason)
    {
        Found = found;
        TakesLease = takesLease;
        Mismatch = mismatch;
        MismatchReason = mismatchReason;
    }

    public bool Found { get; }

    public bool TakesLease { get; }

    public IMethodSymbol? Mismatch { get; }

    public string? MismatchReason { get; }
}
