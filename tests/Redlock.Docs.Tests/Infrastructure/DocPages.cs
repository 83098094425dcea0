namespace RedlockAspects.Docs.Tests.Infrastructure;

/// <summary>The documentation pages: the root README and every page under <c>docs/</c>, as repository-relative paths.</summary>
internal static class DocPages
{
    public static IReadOnlyList<string> All
    {
        get
        {
            var pages = Directory.GetFiles(Repository.Path("docs"), "*.md", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
            pages.Insert(0, "README.md");
            return pages;
        }
    }

    public static string Read(string page) => File.ReadAllText(Repository.Path(page.Split('/')));
}
