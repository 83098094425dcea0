using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace RedlockAspects.Generators.Parsing;

/// <summary>Where in the attribute a diagnostic points: a named argument, or characters inside the key template.</summary>
internal static class AttributeLocations
{
    /// <summary>The named argument <paramref name="name"/>, else the whole attribute.</summary>
    public static Location? Argument(AttributeSyntax? syntax, string name) =>
        NamedArgument(syntax, name)?.GetLocation() ?? syntax?.GetLocation();

    /// <summary>The attribute's name (<c>DistributedLock</c>), else the whole attribute.</summary>
    public static Location? Name(AttributeSyntax? syntax) => syntax?.Name.GetLocation() ?? syntax?.GetLocation();

    /// <summary>
    /// Characters <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of the key template:
    /// inside the string literal when the literal spells its value verbatim (no escapes); otherwise the whole argument,
    /// else the whole attribute.
    /// </summary>
    public static Location? InTemplate(AttributeSyntax? syntax, string? template, int start, int length)
    {
        var expression = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression;
        if (expression is null)
        {
            return syntax?.GetLocation();
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

    private static AttributeArgumentSyntax? NamedArgument(AttributeSyntax? syntax, string name) =>
        syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
}
