using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Diagnostics;

namespace RedlockAspects.Generators.CodeFixes;

/// <summary>RLK0001: adds <c>TtlMs = 1000</c> to the attribute.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddTtlCodeFixProvider)), Shared]
public sealed class AddTtlCodeFixProvider : CodeFixProvider
{
    /// <summary>The TTL the fix writes: one second, short enough to recover quickly after a crash; auto-extension covers long work.</summary>
    public const int DefaultTtlMs = 1000;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.MissingTtl.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var attribute = root?.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
            if (attribute is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add TtlMs = {DefaultTtlMs}",
                    ct => AddTtlAsync(context.Document, attribute, ct),
                    equivalenceKey: nameof(AddTtlCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> AddTtlAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(
                SyntaxFactory.IdentifierName("TtlMs"),
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
