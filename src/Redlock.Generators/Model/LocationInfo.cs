using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RedlockAspects.Generators.Model;

/// <summary>
/// Where a diagnostic goes, without holding a <see cref="Location"/> (which would keep a syntax tree alive and
/// break caching). Turned back into a location against the compilation's own tree when reported.
/// </summary>
internal readonly record struct LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    /// <summary>Finds the tree with this path in <paramref name="compilation"/>; falls back to a file location.</summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == FilePath)
            {
                return Location.Create(tree, TextSpan);
            }
        }

        return Location.Create(FilePath, TextSpan, LineSpan);
    }
}
