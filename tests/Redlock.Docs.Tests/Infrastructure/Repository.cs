using System.Reflection;

namespace RedlockAspects.Docs.Tests.Infrastructure;

/// <summary>Paths inside the checkout, from the root the build embedded in this assembly.</summary>
internal static class Repository
{
    public static string Root { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value
        ?? throw new InvalidOperationException("The RepositoryRoot assembly metadata is missing.");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
