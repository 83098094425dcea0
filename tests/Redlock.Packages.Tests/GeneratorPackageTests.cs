using RedlockAspects.Packages.Tests.Infrastructure;

namespace RedlockAspects.Packages.Tests;

/// <summary>
/// The generator's diagnostics as a consumer gets them, from inside the RedlockAspects package (under
/// analyzers/dotnet/cs): a project with nothing but a PackageReference and broken [DistributedLock] methods fails with
/// RLK ids. A correct consumer that runs is <see cref="ConsumerAppTests"/>.
/// </summary>
[Collection(PackageFeedCollection.Name)]
[Trait("Category", "Package")]
public sealed class GeneratorPackageTests(PackageFeed feed)
{
    [Fact]
    public async Task Package_reference_alone_reports_RLK_diagnostics_for_broken_methods()
    {
        feed.AssertPacked();

        // (b) A consumer with a missing TTL, a non-async signature and an unknown placeholder fails, naming each.
        var bad = feed.WriteConsumer("Bad", BadProgram, "RedlockAspects");
        var broken = await PackageFeed.BuildAsync(bad);
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
        var build = await PackageFeed.BuildAsync(feed.WriteConsumer(name, program, "RedlockAspects"));
        Assert.True(build.ExitCode != 0, build.Describe($"dotnet build of {name} should have failed"));
        foreach (var text in expected)
        {
            Assert.True(build.Output.Contains(text, StringComparison.Ordinal), build.Describe($"no '{text}' in the build of {name}"));
        }
    }

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
}
