using System.Collections.Generic;
using System.Text;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// Parses a key template such as <c>"account:{accountId}"</c> into literal text and placeholders, with no semantic
/// knowledge. Forms: <c>{name}</c>, <c>&lt;name&gt;</c> (the design card's form), <c>{arg.Member.Member}</c>,
/// <c>{arg:format}</c>; <c>{{</c> and <c>}}</c> are literal braces. A <c>&lt;</c> that does not start a well-formed
/// <c>&lt;name&gt;</c> placeholder is literal text.
/// </summary>
internal static class KeyTemplateParser
{
    public static KeyTemplate Parse(string? template)
    {
        if (template is null || template.Length == 0)
        {
            var what = template is null ? "null" : "empty";
            return KeyTemplate.Malformed(new KeyTemplateError($"the key is {what}; give the lock a resource name such as \"jobs:digest\" or \"account:{{accountId}}\"", 0, 0));
        }

        var segments = new List<KeyTemplateSegment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{')
            {
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    literal.Append('{');
                    i += 2;
                    continue;
                }

                var close = template.IndexOf('}', i + 1);
                if (close < 0)
                {
                    return KeyTemplate.Malformed(new KeyTemplateError($"the '{{' at position {i} is never closed; write '{{{{' for a literal brace", i, template.Length - i));
                }

                var inner = template.Substring(i + 1, close - i - 1);
                var nested = inner.IndexOf('{');
                if (nested >= 0)
                {
                    return KeyTemplate.Malformed(new KeyTemplateError($"the '{{' at position {i} is never closed before the next '{{'; write '{{{{' for a literal brace", i, nested + 1));
                }

                var placeholder = ParsePlaceholder(inner.Trim(), i, close - i + 1, angle: false, out var error);
                if (placeholder is null)
                {
                    return KeyTemplate.Malformed(error!);
                }

                Flush(literal, segments);
                segments.Add(placeholder);
                i = close + 1;
            }
            else if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    literal.Append('}');
                    i += 2;
                    continue;
                }

                return KeyTemplate.Malformed(new KeyTemplateError($"the '}}' at position {i} closes nothing; write '}}}}' for a literal brace", i, 1));
            }
            else if (c == '<' && TryParseAngle(template, i, out var angle, out var next))
            {
                Flush(literal, segments);
                segments.Add(angle!);
                i = next;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        Flush(literal, segments);
        return new KeyTemplate(segments, null);
    }

    private static bool TryParseAngle(string template, int start, out KeyTemplateSegment? placeholder, out int next)
    {
        placeholder = null;
        next = start;
        var close = template.IndexOf('>', start + 1);
        if (close < 0)
        {
            return false;
        }

        var inner = template.Substring(start + 1, close - start - 1);
        if (inner.IndexOf('{') >= 0 || inner.IndexOf('}') >= 0)
        {
            return false;
        }

        placeholder = ParsePlaceholder(inner, start, close - start + 1, angle: true, out _);
        next = close + 1;
        return placeholder is not null;
    }

    private static KeyTemplateSegment? ParsePlaceholder(string inner, int start, int length, bool angle, out KeyTemplateError? error)
    {
        error = null;
        var open = angle ? "<" : "{";
        var closeText = angle ? ">" : "}";
        if (inner.Length == 0)
        {
            error = new KeyTemplateError($"the placeholder '{open}{closeText}' at position {start} is empty; name a parameter, as in {open}accountId{closeText}", start, length);
            return null;
        }

        string path;
        string? format = null;
        var colon = inner.IndexOf(':');
        if (colon >= 0)
        {
            path = inner.Substring(0, colon).Trim();
            format = inner.Substring(colon + 1);
            if (format.Length == 0)
            {
                error = new KeyTemplateError($"the placeholder '{open}{inner}{closeText}' at position {start} has an empty format after ':'", start, length);
                return null;
            }
        }
        else
        {
            path = inner;
        }

        var parts = path.Split('.');
        foreach (var part in parts)
        {
            if (!IsIdentifier(part))
            {
                error = new KeyTemplateError(
                    path.Length == 0
                        ? $"the placeholder '{open}{inner}{closeText}' at position {start} names nothing before ':'"
                        : $"'{path}' in the placeholder at position {start} is not a parameter name or a member path such as order.Id",
                    start,
                    length);
                return null;
            }
        }

        return new KeyTemplateSegment(null, parts, format, start, length);
    }

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (!(char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Flush(StringBuilder literal, List<KeyTemplateSegment> segments)
    {
        if (literal.Length > 0)
        {
            segments.Add(new KeyTemplateSegment(literal.ToString(), null, null, 0, 0));
            literal.Clear();
        }
    }
}

/// <summary>The parsed template: its segments, or the first error.</summary>
internal sealed class KeyTemplate
{
    public KeyTemplate(IReadOnlyList<KeyTemplateSegment> segments, KeyTemplateError? error)
    {
        Segments = segments;
        Error = error;
    }

    public IReadOnlyList<KeyTemplateSegment> Segments { get; }

    public KeyTemplateError? Error { get; }

    public static KeyTemplate Malformed(KeyTemplateError error) => new(new KeyTemplateSegment[0], error);
}

/// <summary>Literal text (<see cref="Literal"/> set) or a placeholder (<see cref="Path"/> set) at a position in the template.</summary>
internal sealed class KeyTemplateSegment
{
    public KeyTemplateSegment(string? literal, string[]? path, string? format, int start, int length)
    {
        Literal = literal;
        Path = path;
        Format = format;
        Start = start;
        Length = length;
    }

    public string? Literal { get; }

    public string[]? Path { get; }

    public string? Format { get; }

    public int Start { get; }

    public int Length { get; }

    public string PathText => Path is null ? string.Empty : string.Join(".", Path);
}

/// <summary>Why a template is malformed, and where (character offsets in the template).</summary>
internal sealed class KeyTemplateError
{
    public KeyTemplateError(string message, int start, int length)
    {
        Message = message;
        Start = start;
        Length = length;
    }

    public string Message { get; }

    public int Start { get; }

    public int Length { get; }
}
