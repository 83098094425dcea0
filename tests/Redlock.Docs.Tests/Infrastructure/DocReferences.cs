using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace RedlockAspects.Docs.Tests.Infrastructure;

/// <summary>
/// What a code block compiles against: the shared framework plus the assemblies a user of the packages has, taken from
/// this test's own dependencies (so the versions are those of Directory.Packages.props); xunit for the test examples
/// of docs/testing.md; RedLock.net and DistributedLock.Redis for the "before" examples of docs/migrating.md. The generator assembly is left out: it runs on the blocks, it is not referenced by them.
/// </summary>
internal static class DocReferences
{
    private static readonly string[] Prefixes =
    [
        "RedlockAspects.", "Microsoft.Extensions.", "OpenTelemetry", "StackExchange.Redis", "Pipelines.Sockets.Unofficial", "Cronos", "xunit",
        "RedLockNet.", "DistributedLock.", "Microsoft.Bcl.AsyncInterfaces",
    ];

    private static readonly string[] Excluded = ["RedlockAspects.Generators", "RedlockAspects.Docs.Tests", "xunit.runner"];

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(Load);

    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in trusted.Concat(local))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var wanted = string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal)
                || name == "RedlockAspects"
                || (Prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                    && !Excluded.Any(e => name.StartsWith(e, StringComparison.OrdinalIgnoreCase)));
            if (wanted)
            {
                byName.TryAdd(name, path);
            }
        }

        return byName.Values.Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
