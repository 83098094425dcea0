using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>Reads where the partial method lives and how it is declared, for its implementing declaration.</summary>
internal static class SignatureReader
{
    public static MethodSignatureModel Read(IMethodSymbol method, MethodDeclarationSyntax declaration, KnownTypes known) => new(
        HintName: GeneratedNames.HintName(method, known),
        Namespace: method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
        ContainingTypes: ContainingTypes(method).ToEquatableArray(),
        Modifiers: string.Join(" ", declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword)).Select(m => m.Text)),
        ReturnType: method.ReturnsVoid ? "void" : (method.ReturnsByRef ? "ref " : method.ReturnsByRefReadonly ? "ref readonly " : string.Empty) + SymbolText.Code(method.ReturnType),
        Name: SymbolText.Identifier(method.Name),
        TypeParameters: TypeParameterList(method.TypeParameters),
        Constraints: method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!).ToEquatableArray(),
        Parameters: method.Parameters.Select((p, i) => new ParameterModel(
            SymbolText.Identifier(p.Name),
            SymbolText.Code(p.Type),
            (i == 0 && method.IsExtensionMethod ? "this " : p.IsParams ? "params " : string.Empty) + RefKindPrefix(p.RefKind))).ToEquatableArray());

    /// <summary><c>ref</c>, <c>out</c>, <c>in</c> or <c>ref readonly</c> (a wrapper has none: RLK0011; a stub repeats them).</summary>
    public static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Out => "out",
        RefKind.In => "in",
        RefKind.Ref => "ref",
        _ => "ref readonly",
    };

    private static string RefKindPrefix(RefKind kind) => kind == RefKind.None ? string.Empty : RefKindText(kind) + " ";

    private static List<ContainingTypeModel> ContainingTypes(IMethodSymbol method)
    {
        var types = new List<ContainingTypeModel>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
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
}
