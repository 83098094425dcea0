namespace RedlockAspects.Generators.CodeFixes;

/// <summary>RLK0010: adds <c>partial</c> to the type the diagnostic points at (each enclosing type has its own diagnostic).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFixProvider)), Shared]
public sealed class MakeTypePartialCodeFixProvider : SyntaxCodeFixProvider<TypeDeclarationSyntax>
{
    /// <inheritdoc />
    protected override string DiagnosticId => DiagnosticDescriptors.TypeNotPartial.Id;

    /// <inheritdoc />
    protected override bool CanFix(TypeDeclarationSyntax node) => !node.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <inheritdoc />
    protected override string Title(TypeDeclarationSyntax node) => $"Make '{node.Identifier.ValueText}' partial";

    /// <inheritdoc />
    protected override Task<SyntaxNode?> FixAsync(Document document, SyntaxNode root, TypeDeclarationSyntax node, CancellationToken cancellationToken)
    {
        TypeDeclarationSyntax updated;
        if (node.Modifiers.Count == 0)
        {
            // "class C" becomes "partial class C": the keyword's indentation moves to the new first token.
            var partial = SyntaxFactory.Token(node.Keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            updated = node.WithKeyword(node.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }
        else
        {
            // After the other modifiers, right before the keyword, where C# requires it.
            updated = node.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return Task.FromResult<SyntaxNode?>(root.ReplaceNode(node, updated));
    }
}
