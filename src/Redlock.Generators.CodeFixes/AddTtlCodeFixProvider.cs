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
    protected override Task<SyntaxNode?> FixAsync(Document document, SyntaxNode root, AttributeSyntax node, CancellationToken cancellationToken)
    {
        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(
                SyntaxFactory.IdentifierName(DistributedLockAttributeNames.TtlMs),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), SyntaxKind.EqualsToken, SyntaxFactory.TriviaList(SyntaxFactory.Space))),
            nameColon: null,
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(DefaultTtlMs)));

        var list = node.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        if (list.Arguments.Count > 0)
        {
            argument = argument.WithLeadingTrivia(SyntaxFactory.Space);
        }

        return Task.FromResult<SyntaxNode?>(root.ReplaceNode(node, node.WithArgumentList(list.AddArguments(argument))));
    }
}
