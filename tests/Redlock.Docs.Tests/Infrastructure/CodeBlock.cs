namespace RedlockAspects.Docs.Tests.Infrastructure;

/// <summary>
/// One fenced C# block of a page. <paramref name="FirstLine"/> is the 1-based line of the block's first code line in the
/// page. <paramref name="ExpectedIds"/> is empty for a block that must compile cleanly; otherwise the block carries a
/// <c>// does not compile: RLK0001</c> or <c>// warns: RLK0004</c> marker, and must produce exactly those diagnostic ids:
/// at least one of them an error for the first (<paramref name="ExpectsErrors"/>), only warnings for the second.
/// </summary>
internal sealed record CodeBlock(string Page, int FirstLine, string Code, IReadOnlyList<string> ExpectedIds, bool ExpectsErrors = false)
{
    public override string ToString() => $"{Page}:{FirstLine}";
}
