using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Diagnostics;

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
    protected override Task<Document> FixAsync(Document document, TypeDeclarationSyntax node, CancellationToken cancellationToken) =>
        MakePartialAsync(document, node, cancellationToken);

    private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax type, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        TypeDeclarationSyntax updated;
        if (type.Modifiers.Count == 0)
        {
            // "class C" becomes "partial class C": the keyword's indentation moves to the new first token.
            var partial = SyntaxFactory.Token(type.Keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            updated = type.WithKeyword(type.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }
        else
        {
            // After the other modifiers, right before the keyword, where C# requires it.
            updated = type.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(type, updated));
    }
}
