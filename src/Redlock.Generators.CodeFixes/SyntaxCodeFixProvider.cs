using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.CodeActions;

namespace RedlockAspects.Generators.CodeFixes;

/// <summary>
/// What every fix here shares: one diagnostic id, the syntax node of type <typeparamref name="TSyntax"/> that encloses the
/// diagnostic's location, one code action per diagnostic, and batch fix-all.
/// </summary>
/// <typeparam name="TSyntax">The node the fix rewrites.</typeparam>
public abstract class SyntaxCodeFixProvider<TSyntax> : CodeFixProvider
    where TSyntax : SyntaxNode
{
    /// <summary>The diagnostic this provider fixes.</summary>
    protected abstract string DiagnosticId { get; }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TSyntax>().FirstOrDefault();
            if (node is null || !CanFix(node))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title(node), ct => ApplyAsync(context.Document, node, ct), equivalenceKey: GetType().Name),
                diagnostic);
        }
    }

    /// <summary>False when the node needs no fix after all.</summary>
    /// <param name="node">The node found at the diagnostic.</param>
    /// <returns>Whether to offer the fix.</returns>
    protected virtual bool CanFix(TSyntax node) => true;

    /// <summary>The code action's title.</summary>
    /// <param name="node">The node found at the diagnostic.</param>
    /// <returns>The title.</returns>
    protected abstract string Title(TSyntax node);

    /// <summary>Rewrites the document's syntax root.</summary>
    /// <param name="document">The document.</param>
    /// <param name="root">The document's syntax root.</param>
    /// <param name="node">The node found at the diagnostic.</param>
    /// <param name="cancellationToken">Cancels the fix.</param>
    /// <returns>The new root, or null to leave the document as it is.</returns>
    protected abstract Task<SyntaxNode?> FixAsync(Document document, SyntaxNode root, TSyntax node, CancellationToken cancellationToken);

    private async Task<Document> ApplyAsync(Document document, TSyntax node, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var fixedRoot = root is null ? null : await FixAsync(document, root, node, cancellationToken).ConfigureAwait(false);
        return fixedRoot is null ? document : document.WithSyntaxRoot(fixedRoot);
    }
}
