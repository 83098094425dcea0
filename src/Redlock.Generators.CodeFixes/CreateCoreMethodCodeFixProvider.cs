using System.Linq;
using System.Text;
using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators.CodeFixes;

/// <summary>
/// RLK0015: adds the body method <c>&lt;Name&gt;Core</c> right after the partial declaration, private, with the same
/// type parameters, constraints, parameters and return type (plain <c>Task</c>/<c>ValueTask</c> for an <c>OnBusy.Skip</c>
/// method whose <c>Task&lt;bool&gt;</c> says whether the body ran), throwing <c>NotImplementedException</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CreateCoreMethodCodeFixProvider)), Shared]
public sealed class CreateCoreMethodCodeFixProvider : SyntaxCodeFixProvider<MethodDeclarationSyntax>
{
    /// <inheritdoc />
    protected override string DiagnosticId => DiagnosticDescriptors.CoreMissing.Id;

    /// <inheritdoc />
    protected override string Title(MethodDeclarationSyntax node) => $"Create '{node.Identifier.ValueText}Core'";

    /// <inheritdoc />
    protected override async Task<SyntaxNode?> FixAsync(Document document, SyntaxNode root, MethodDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not { } method)
        {
            return null;
        }

        // A Skip method's Task<bool> that reports whether the body ran gets a body that returns plain Task.
        var known = KnownTypes.From(model.Compilation);
        var isSkip = known.LockAttribute(method) is { } attribute && LockSettingsReader.IsSkip(attribute);
        var returnType = CoreMethodMatcher.CoreReturnType(method, known, CoreMethodMatcher.ReportsRan(method, known, isSkip));

        var position = declaration.SpanStart;
        string Type(ITypeSymbol type) => type.ToMinimalDisplayString(model, position);

        var eol = declaration.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToFullString();
        if (eol.Length == 0)
        {
            eol = "\n";
        }

        var indent = declaration.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToFullString();
        var typeParameters = method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(t => t.Name)) + ">";
        var parameters = string.Join(", ", method.Parameters.Select(p => Type(p.Type) + " " + SymbolText.Identifier(p.Name)));
        var notImplemented = model.Compilation.GetTypeByMetadataName("System.NotImplementedException") is { } exception ? Type(exception) : "System.NotImplementedException";

        var text = new StringBuilder();
        text.Append(eol).Append(indent)
            .Append("private ").Append(method.IsStatic ? "static " : string.Empty)
            .Append(Type(returnType)).Append(' ').Append(declaration.Identifier.ValueText).Append("Core").Append(typeParameters)
            .Append('(').Append(parameters).Append(')').Append(eol);
        foreach (var typeParameter in method.TypeParameters)
        {
            var constraints = SymbolText.Constraints(typeParameter, Type);
            if (constraints.Count > 0)
            {
                text.Append(indent).Append("    where ").Append(typeParameter.Name).Append(" : ").Append(string.Join(", ", constraints)).Append(eol);
            }
        }

        text.Append(indent).Append('{').Append(eol)
            .Append(indent).Append("    throw new ").Append(notImplemented).Append("();").Append(eol)
            .Append(indent).Append('}').Append(eol);

        var member = SyntaxFactory.ParseMemberDeclaration(text.ToString());
        return member is null ? null : root.InsertNodesAfter(declaration, new[] { member });
    }
}
