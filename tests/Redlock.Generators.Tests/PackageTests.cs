using System.Globalization;
using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// Packs src/Redlock.Runtime (package RedlockAspects, with the generator and code fixes under analyzers/dotnet/cs) to a
/// local folder feed with a unique version, then builds consumer projects that have nothing but a PackageReference:
/// a correct one builds with warnings as errors and runs its generated wrapper; a broken one fails with RLK ids.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageTests : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "redlock-package-test-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Random.Shared.Next(1000, 9999);

    private string Feed => Path.Combine(_root, "feed");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);

        // Stop MSBuild from looking above the temp folder for build or package-version files.
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        TryDelete(_root);

        // The unique test version would otherwise pile up in the global packages folder.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(packages, "redlockaspects", _version));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Package_reference_alone_generates_wrappers_and_reports_RLK_diagnostics()
    {
        var pack = await DotNetCli.RunAsync(
            Repository.Root,
            BuildTimeout,
            new Dictionary<string, string?> { ["REDLOCK_ARTIFACTS"] = Path.Combine(_root, "artifacts") },
            "pack", Path.Combine("src", "Redlock.Runtime", "Redlock.Runtime.csproj"),
            "-c", "Release", "-o", Feed, $"-p:Version={_version}", "--disable-build-servers", "-nodeReuse:false");
        Assert.True(pack.ExitCode == 0, pack.Describe("dotnet pack"));
        Assert.True(File.Exists(Path.Combine(Feed, $"RedlockAspects.{_version}.nupkg")), pack.Describe("no package in the feed"));

        // (a) A correct consumer builds with warnings as errors, and its generated wrapper runs.
        var good = WriteConsumer("Good", GoodProgram);
        var build = await Build(good);
        Assert.True(build.ExitCode == 0, build.Describe("dotnet build of the correct consumer"));

        var run = await DotNetCli.RunAsync(good, TimeSpan.FromMinutes(2), new Dictionary<string, string?>(), "run", "--no-build", "-c", "Release");
        Assert.True(run.ExitCode == 0, run.Describe("dotnet run of the correct consumer"));
        Assert.Contains("busy:key:acct-42", run.Output, StringComparison.Ordinal);
        Assert.Contains("skipped:jobs:digest:202403011345", run.Output, StringComparison.Ordinal);
        Assert.Contains("wrapper:RedlockAspects.Generators", run.Output, StringComparison.Ordinal);

        // (b) A consumer with a missing TTL, a non-async signature and an unknown placeholder fails, naming each.
        var bad = WriteConsumer("Bad", BadProgram);
        var broken = await Build(bad);
        Assert.True(broken.ExitCode != 0, broken.Describe("dotnet build of the broken consumer should have failed"));
        Assert.True(broken.Output.Contains("error RLK0001", StringComparison.Ordinal), broken.Describe("no RLK0001 in the broken consumer's build"));
        Assert.True(broken.Output.Contains("error RLK0007", StringComparison.Ordinal), broken.Describe("no RLK0007 in the broken consumer's build"));
        Assert.True(broken.Output.Contains("error RLK0006", StringComparison.Ordinal), broken.Describe("no RLK0006 in the broken consumer's build"));

        // The stubs of those methods do not leave the IRedlock parameter unread (CS9113, an error with warnings as errors).
        Assert.False(broken.Output.Contains("CS9113", StringComparison.Ordinal), broken.Describe("the stubs added CS9113"));

        // (c) Cases whose C# error stops the compiler before analyzers run: the generator reports the RLK id itself.
        await AssertBuildFails("NestedInNonPartial", NestedInNonPartialProgram, "error CS8795", "error RLK0010: Type 'Outer' must be declared partial");
        await AssertBuildFails("NonPartial", NonPartialProgram, "error CS0751", "error RLK0010: Type 'Billing' must be declared partial");
        await AssertBuildFails("NullKey", NullKeyProgram, "error CS8625", "error RLK0005: The key template null is malformed: the key is null;");
    }

    private async Task AssertBuildFails(string name, string program, params string[] expected)
    {
        var build = await Build(WriteConsumer(name, program));
        Assert.True(build.ExitCode != 0, build.Describe($"dotnet build of {name} should have failed"));
        foreach (var text in expected)
        {
            Assert.True(build.Output.Contains(text, StringComparison.Ordinal), build.Describe($"no '{text}' in the build of {name}"));
        }
    }

    private Task<CliResult> Build(string project) =>
        DotNetCli.RunAsync(project, BuildTimeout, new Dictionary<string, string?>(), "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");

    private string WriteConsumer(string name, string program)
    {
        var directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="RedlockAspects" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return directory;
    }

    private const string GoodProgram = """
        using System.CodeDom.Compiler;
        using System.Reflection;
        using RedlockAspects;

        // No Redis here: a recording engine that never grants the lock proves the generated wrapper compiled, built the
        // key and called the engine. Locking itself is tested against real nodes elsewhere.
        var engine = new RecordingRedlock();
        try
        {
            await new Billing(engine).ChargeAsync("acct-42", 10m);
        }
        catch (RedlockBusyException busy)
        {
            Console.WriteLine("busy:" + busy.Resource);
        }

        DigestJob.Engine = engine;
        await DigestJob.RunAsync(new DateTimeOffset(2024, 3, 1, 13, 45, 0, TimeSpan.Zero));
        Console.WriteLine("skipped:" + engine.Last);

        var wrapper = typeof(Billing).GetMethod(nameof(Billing.ChargeAsync))!.GetCustomAttribute<GeneratedCodeAttribute>();
        Console.WriteLine("wrapper:" + wrapper?.Tool);

        public sealed partial class Billing(IRedlock redlock)
        {
            [DistributedLock("key:<accountId>", TtlMs=1000)]
            public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

            private Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct) =>
                throw new InvalidOperationException("the body must not run without the lock");
        }

        public static partial class DigestJob
        {
            public static IRedlock Engine { get; set; } = null!;

            [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmm}", TtlMs = 5000, WaitMs = 0, OnBusy = OnBusy.Skip, MinHoldMs = 60000)]
            public static partial Task RunAsync(DateTimeOffset occurrence);

            private static Task RunAsyncCore(DateTimeOffset occurrence) =>
                throw new InvalidOperationException("the body must not run without the lock");
        }

        sealed class RecordingRedlock : IRedlock
        {
            public string? Last { get; private set; }

            public Task<RedlockLease> AcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default)
            {
                Last = resource;
                throw new RedlockBusyException(new[] { resource }, 1, TimeSpan.Zero);
            }

            public Task<RedlockLease?> TryAcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default)
            {
                Last = resource;
                return Task.FromResult<RedlockLease?>(null);
            }

            public Task<RedlockLease> AcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException();

            public Task<RedlockLease?> TryAcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException();

            public Task<RedlockInspection> InspectAsync(string resource, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException();
        }
        """;

    private const string BadProgram = """
        using RedlockAspects;

        Console.WriteLine("never built");

        public sealed partial class Broken(IRedlock redlock)
        {
            [DistributedLock("account:{accountId}")]
            public partial Task MissingTtlAsync(string accountId);

            [DistributedLock("account:{accountId}", TtlMs = 1000)]
            public partial void NotAsync(string accountId);

            [DistributedLock("account:{acountId}", TtlMs = 1000)]
            public partial Task TypoAsync(string accountId);

            private Task MissingTtlAsyncCore(string accountId) => Task.CompletedTask;

            private void NotAsyncCore(string accountId) { }

            private Task TypoAsyncCore(string accountId) => Task.CompletedTask;
        }
        """;

    private const string NestedInNonPartialProgram = """
        using RedlockAspects;

        Console.WriteLine("never built");

        public class Outer
        {
            public partial class Billing(IRedlock redlock)
            {
                [DistributedLock("account:{accountId}", TtlMs = 1000)]
                public partial Task ChargeAsync(string accountId);

                private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
            }
        }
        """;

    private const string NonPartialProgram = """
        using RedlockAspects;

        Console.WriteLine("never built");

        public sealed class Billing(IRedlock redlock)
        {
            [DistributedLock("account:{accountId}", TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId);

            private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
        }
        """;

    private const string NullKeyProgram = """
        using RedlockAspects;

        Console.WriteLine("never built");

        public sealed partial class Billing(IRedlock redlock)
        {
            [DistributedLock(null, TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId);

            private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
        }
        """;

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
