using System.Globalization;

namespace RedlockAspects.Packages.Tests.Infrastructure;

/// <summary>
/// Packs the three shipped packages (RedlockAspects, RedlockAspects.Scheduling, RedlockAspects.Testing) once per test
/// run, with <c>-warnaserror</c> and a version no one else uses, into a folder feed; writes consumer projects beside it
/// that reach that feed first and the machine's usual NuGet source for everything else (the packages' own
/// dependencies, already in the global packages folder after any build of this repository).
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public static readonly string[] PackageIds = ["RedlockAspects", "RedlockAspects.Scheduling", "RedlockAspects.Testing"];

    private static readonly string[] Projects =
    [
        Path.Combine("src", "Redlock.Runtime", "Redlock.Runtime.csproj"),
        Path.Combine("src", "Redlock.Scheduling", "Redlock.Scheduling.csproj"),
        Path.Combine("src", "Redlock.Testing", "Redlock.Testing.csproj"),
    ];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "redlock-package-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Random.Shared.Next(1000, 9999);

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The output of the pack, for tests that check it was warning-free.</summary>
    public CliResult? Pack { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);

        // Stop MSBuild from looking above the temp folder for build or package-version files.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="RedlockAspects" />
                  <package pattern="RedlockAspects.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        // One solution filter, so one `dotnet pack` restores and builds the three projects together.
        var filter = Path.Combine(Root, "packages.slnf");
        File.WriteAllText(filter, $$"""
            {
              "solution": {
                "path": "{{Path.Combine(Repository.Root, "RedlockAspects.sln").Replace("\\", "\\\\", StringComparison.Ordinal)}}",
                "projects": [ {{string.Join(", ", Projects.Select(p => "\"" + p.Replace("\\", "\\\\", StringComparison.Ordinal) + "\""))}} ]
              }
            }
            """);

        Pack = await DotNetCli.RunAsync(
            Repository.Root,
            BuildTimeout,
            new Dictionary<string, string?> { ["REDLOCK_ARTIFACTS"] = Path.Combine(Root, "artifacts") },
            "pack", filter, "-c", "Release", "-o", Feed, $"-p:Version={Version}", "-warnaserror", "--disable-build-servers", "-nodeReuse:false");
    }

    public Task DisposeAsync()
    {
        TryDelete(Root);

        // The unique test version would otherwise pile up in the global packages folder.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            TryDelete(Path.Combine(packages, id.ToLowerInvariant(), Version));
        }

        return Task.CompletedTask;
    }

    /// <summary>Fails the calling test with the pack's output unless the pack succeeded.</summary>
    public void AssertPacked()
    {
        Assert.NotNull(Pack);
        Assert.True(Pack.ExitCode == 0, Pack.Describe("dotnet pack -warnaserror"));
    }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    /// <summary>Writes an executable consumer project that references <paramref name="packages"/> only, and its Program.cs.</summary>
    public string WriteConsumer(string name, string program, params string[] packages)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        var references = string.Join(
            "\n",
            packages.Select(p => p.Contains('@', StringComparison.Ordinal)
                ? $"    <PackageReference Include=\"{p.Split('@')[0]}\" Version=\"{p.Split('@')[1]}\" />"
                : $"    <PackageReference Include=\"{p}\" Version=\"{Version}\" />"));
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- The NuGet copy on this machine sometimes serves the next version of a dependency (NU1603). -->
                <NoWarn>$(NoWarn);NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return directory;
    }

    public static Task<CliResult> BuildAsync(string project) =>
        DotNetCli.RunAsync(project, BuildTimeout, new Dictionary<string, string?>(), "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");

    public static Task<CliResult> RunAsync(string project, TimeSpan timeout) =>
        DotNetCli.RunAsync(project, timeout, new Dictionary<string, string?>(), "run", "--no-build", "-c", "Release");

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Every test that packs shares one pack.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packed feed";
}
