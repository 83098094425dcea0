using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;
using RedlockAspects.Packages.Tests.Infrastructure;

namespace RedlockAspects.Packages.Tests;

/// <summary>
/// What each packed package carries: the pack ran with warnings as errors, and every package has its readme, the license
/// file, repository and project URLs, XML docs, and a symbol package whose PDB maps its sources to the repository
/// (SourceLink).
/// </summary>
[Collection(PackageFeedCollection.Name)]
[Trait("Category", "Package")]
public sealed class PackageContentsTests(PackageFeed feed)
{
    private const string RepositoryUrl = "https://github.com/redlockaspects/redlockaspects";

    /// <summary>The SourceLink custom debug information kind in a portable PDB.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Packages => new(PackageFeed.PackageIds);

    [Theory]
    [MemberData(nameof(Packages))]
    public void Each_package_has_readme_license_urls_and_xml_docs(string id)
    {
        feed.AssertPacked();
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);

        using var nuspecStream = package.GetEntry(id + ".nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("LICENSE", Value("license"));
        Assert.Equal("file", Element("license").Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, Value("projectUrl"));
        var repository = Element("repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);

        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.StartsWith("# " + id + "\n", readme.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_package_carries_the_generator_and_code_fixes_as_analyzers()
    {
        feed.AssertPacked();
        using var package = ZipFile.OpenRead(feed.PackagePath("RedlockAspects"));
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("analyzers/dotnet/cs/RedlockAspects.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/RedlockAspects.Generators.CodeFixes.dll", entries);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Each_symbol_package_has_a_pdb_whose_sources_map_to_the_repository(string id)
    {
        feed.AssertPacked();
        using var symbols = ZipFile.OpenRead(feed.PackagePath(id, "snupkg"));
        var pdbEntry = symbols.GetEntry($"lib/net10.0/{id}.pdb");
        Assert.NotNull(pdbEntry);

        using var pdb = new MemoryStream();
        using (var stream = pdbEntry.Open())
        {
            stream.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        var sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .SingleOrDefault();

        Assert.NotNull(sourceLink);
        Assert.Matches("\"https://raw\\.githubusercontent\\.com/redlockaspects/redlockaspects/[0-9a-f]{40}/\\*\"", sourceLink);
    }

    [Fact]
    public void Pack_reports_no_warnings()
    {
        feed.AssertPacked();
        Assert.DoesNotContain(": warning ", feed.Pack!.Output, StringComparison.Ordinal);
    }
}
