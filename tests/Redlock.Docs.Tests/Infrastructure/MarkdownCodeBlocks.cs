using System.Text.RegularExpressions;

namespace RedlockAspects.Docs.Tests.Infrastructure;

/// <summary>
/// Finds the C# code blocks of a Markdown page: fences of three or more backticks or tildes (indented too, as in lists)
/// whose info string starts with <c>csharp</c>, <c>cs</c> or <c>c#</c> (any case). The rest of the info string may hold an
/// opt-out marker, <c>// does not compile: ID, ID</c> or <c>// warns: ID</c>, naming exactly what the block reports.
/// </summary>
internal static partial class MarkdownCodeBlocks
{
    private static readonly string[] CSharpTags = ["csharp", "cs", "c#"];

    public static IReadOnlyList<CodeBlock> Extract(string page, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups["indent"].Length;
            var fence = open.Groups["fence"].Value;
            var info = open.Groups["info"].Value.Trim();
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Length; j++)
            {
                var close = Fence().Match(lines[j]);
                if (close.Success && close.Groups["fence"].Value[0] == fence[0] && close.Groups["fence"].Length >= fence.Length
                    && close.Groups["info"].Value.Trim().Length == 0)
                {
                    break;
                }

                body.Add(Unindent(lines[j], indent));
            }

            if (IsCSharp(info, out var rest))
            {
                var (ids, expectsErrors) = ParseMarker(page, i + 1, rest);
                blocks.Add(new CodeBlock(page, i + 2, string.Join('\n', body), ids, expectsErrors));
            }

            i = j;
        }

        return blocks;
    }

    private static bool IsCSharp(string info, out string rest)
    {
        var word = info.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        rest = word.Length > 1 ? word[1] : string.Empty;
        return word.Length > 0 && CSharpTags.Contains(word[0].ToLowerInvariant());
    }

    private static (IReadOnlyList<string> Ids, bool ExpectsErrors) ParseMarker(string page, int line, string rest)
    {
        if (rest.Length == 0)
        {
            return ([], false);
        }

        var marker = Marker().Match(rest);
        if (!marker.Success)
        {
            throw new FormatException(
                $"{page}:{line}: the code fence's info string '{rest}' is not a marker; write '// does not compile: RLK0001' or '// warns: RLK0004' (ids separated by commas), or nothing.");
        }

        return (marker.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            marker.Groups["kind"].Value == "does not compile");
    }

    // A fenced block's content is indented like its fence (inside a list item); take that indentation off.
    private static string Unindent(string line, int indent)
    {
        var spaces = 0;
        while (spaces < indent && spaces < line.Length && line[spaces] == ' ')
        {
            spaces++;
        }

        return line[spaces..];
    }

    [GeneratedRegex(@"^(?<indent> {0,12})(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^//\s*(?<kind>does not compile|warns):\s*(?<ids>[A-Z]+[0-9]+(\s*,\s*[A-Z]+[0-9]+)*)\s*$")]
    private static partial Regex Marker();
}
