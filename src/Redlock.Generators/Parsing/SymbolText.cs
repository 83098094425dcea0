using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RedlockAspects.Generators.Parsing;

/// <summary>How symbols are written into generated code and into messages.</summary>
internal static class SymbolText
{
    /// <summary><c>global::</c>-qualified, keywords for special types, nullable annotations kept.</summary>
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Short names, for diagnostic messages.</summary>
    public static readonly SymbolDisplayFormat Short = SymbolDisplayFormat.CSharpErrorMessageFormat;

    public static string Code(ITypeSymbol type) => type.ToDisplayString(FullyQualified);

    public static string Message(ISymbol symbol) => symbol.ToDisplayString(Short);

    /// <summary>Adds <c>@</c> to names that are C# keywords.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;

    /// <summary>
    /// The constraints of a type parameter, in the order C# requires (class/struct/unmanaged/notnull, types, new(),
    /// allows ref struct), with types written by <paramref name="typeName"/>.
    /// </summary>
    public static List<string> Constraints(ITypeParameterSymbol parameter, Func<ITypeSymbol, string> typeName)
    {
        var parts = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }
        else if (parameter.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(parameter.ConstraintTypes.Select(typeName));
        if (parameter.HasConstructorConstraint)
        {
            parts.Add("new()");
        }

        if (parameter.AllowsRefLikeType)
        {
            parts.Add("allows ref struct");
        }

        return parts;
    }
}
