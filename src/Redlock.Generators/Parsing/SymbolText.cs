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
}
