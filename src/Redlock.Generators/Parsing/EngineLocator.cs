using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// Finds the <c>IRedlock</c> a wrapper acquires with, the way the logging generator finds its <c>ILogger</c>: fields and
/// properties of the containing type and its bases (those it can access), and, when there are none, the type's
/// primary-constructor parameters. A field initialized from a primary-constructor parameter therefore wins over the
/// parameter, and the two do not count as two engines.
/// </summary>
internal static class EngineLocator
{
    public static EngineLookup Find(IMethodSymbol method, KnownTypes known, System.Threading.CancellationToken cancellationToken)
    {
        var containing = method.ContainingType;
        var members = new List<EngineCandidate>();
        for (var type = containing; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared)
                {
                    continue;
                }

                if (!ReferenceEquals(type, containing) && !known.Compilation.IsSymbolAccessibleWithin(member, containing))
                {
                    continue;
                }

                ITypeSymbol? memberType = member switch
                {
                    IFieldSymbol field => field.Type,
                    IPropertySymbol property when !property.IsIndexer && property.GetMethod is not null => property.Type,
                    _ => null,
                };

                if (memberType is null || !known.IsEngine(memberType))
                {
                    continue;
                }

                var expression = member.IsStatic
                    ? SymbolText.Code(member.ContainingType) + "." + SymbolText.Identifier(member.Name)
                    : "this." + SymbolText.Identifier(member.Name);
                members.Add(new EngineCandidate(member.Name, NullGuarded(expression, memberType, member.Name, containing), member.IsStatic, IsParameter: false));
            }
        }

        if (members.Count == 0)
        {
            foreach (var parameter in PrimaryConstructorParameters(containing, cancellationToken))
            {
                // A method parameter of the same name hides the primary-constructor parameter inside the wrapper.
                if (known.IsEngine(parameter.Type) && method.Parameters.All(p => p.Name != parameter.Name))
                {
                    members.Add(new EngineCandidate(parameter.Name, NullGuarded(SymbolText.Identifier(parameter.Name), parameter.Type, parameter.Name, containing), IsStatic: false, IsParameter: true));
                }
            }
        }

        if (method.IsStatic)
        {
            var statics = members.Where(m => m.IsStatic).ToList();
            return statics.Count switch
            {
                1 => new EngineLookup(statics[0], EngineProblem.Found, statics),
                > 1 => new EngineLookup(null, EngineProblem.Several, statics),
                _ => new EngineLookup(null, members.Count > 0 ? EngineProblem.OnlyInstance : EngineProblem.Missing, members),
            };
        }

        return members.Count switch
        {
            1 => new EngineLookup(members[0], EngineProblem.Found, members),
            > 1 => new EngineLookup(null, EngineProblem.Several, members),
            _ => new EngineLookup(null, EngineProblem.Missing, members),
        };
    }

    /// <summary>A member declared nullable (<c>IRedlock?</c>) is checked with a message that names it.</summary>
    private static string NullGuarded(string expression, ITypeSymbol type, string name, INamedTypeSymbol containing) =>
        type.NullableAnnotation == NullableAnnotation.Annotated
            ? $"({expression} ?? throw new global::System.InvalidOperationException(\"The IRedlock '{name}' of '{containing.Name}' is null.\"))"
            : expression;

    private static IEnumerable<IParameterSymbol> PrimaryConstructorParameters(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        if (type.IsRecord)
        {
            // A record's positional parameters are also properties, found above.
            yield break;
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax)
                {
                    foreach (var parameter in constructor.Parameters)
                    {
                        yield return parameter;
                    }

                    yield break;
                }
            }
        }
    }
}

/// <summary>An <c>IRedlock</c> member the wrapper could use; <paramref name="IsParameter"/> for a primary-constructor parameter.</summary>
internal readonly record struct EngineCandidate(string Name, string Expression, bool IsStatic, bool IsParameter);

internal enum EngineProblem
{
    Found,
    Missing,
    Several,
    OnlyInstance,
}

internal sealed class EngineLookup
{
    public EngineLookup(EngineCandidate? engine, EngineProblem problem, IReadOnlyList<EngineCandidate> candidates)
    {
        Engine = engine;
        Problem = problem;
        Candidates = candidates;
    }

    public EngineCandidate? Engine { get; }

    public EngineProblem Problem { get; }

    public IReadOnlyList<EngineCandidate> Candidates { get; }

    public string CandidateNames => string.Join(", ", Candidates.Select(c => "'" + c.Name + "'"));
}
