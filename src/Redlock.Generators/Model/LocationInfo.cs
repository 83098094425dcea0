using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RedlockAspects.Generators.Model;

/// <summary>
/// Where a generator diagnostic goes, without holding a <see cref="Location"/> (which would keep a syntax tree alive and
/// break caching).
/// </summary>
internal readonly record struct LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public static LocationInfo From(Location location) =>
        new(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    /// <summary>
    /// The location in the compilation's tree with this path, so that <c>#pragma warning disable</c> applies to it and
    /// the IDE attaches it (and its code fix) to the document; a location by path alone when no tree matches.
    /// </summary>
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
