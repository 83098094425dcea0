using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Diagnostics;

namespace RedlockAspects.Generators.CodeFixes;

/// <summary>RLK0001: adds <c>TtlMs = 1000</c> to the attribute.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddTtlCodeFixProvider)), Shared]
public sealed class AddTtlCodeFixProvider : SyntaxCodeFixProvider<AttributeSyntax>
{
    /// <summary>The TTL the fix writes: one second, short enough to recover quickly after a crash; auto-extension covers long work.</summary>
    public const int DefaultTtlMs = 1000;

    /// <inheritdoc />
    protected override string DiagnosticId => DiagnosticDescriptors.MissingTtl.Id;

    /// <inheritdoc />
    protected override string Title(AttributeSyntax node) => $"Add {DistributedLockAttributeNames.TtlMs} = {DefaultTtlMs}";

    /// <inheritdoc />
    protected override Task<Document> FixAsync(Document document, AttributeSyntax node, CancellationToken cancellationToken) =>
        AddTtlAsync(document, node, cancellationToken);

    private static async Task<Document> AddTtlAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(
                SyntaxFactory.IdentifierName(DistributedLockAttributeNames.TtlMs),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), SyntaxKind.EqualsToken, SyntaxFactory.TriviaList(SyntaxFactory.Space))),
            nameColon: null,
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(DefaultTtlMs)));

        var list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        if (list.Arguments.Count > 0)
        {
            argument = argument.WithLeadingTrivia(SyntaxFactory.Space);
        }

        var updated = attribute.WithArgumentList(list.AddArguments(argument));
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, updated));
    }
}
