using RedlockAspects.Packages.Tests.Infrastructure;

namespace RedlockAspects.Packages.Tests;

/// <summary>
/// A console app that has nothing but PackageReferences to the packed RedlockAspects, RedlockAspects.Testing and
/// Microsoft.Extensions.DependencyInjection builds with warnings as errors and runs its generated wrappers on three
/// embedded Garnet nodes: the card's example locks, a held lock makes a Throw method fail and a Skip method return
/// false without running its body, and true once it ran.
/// </summary>
[Collection(PackageFeedCollection.Name)]
[Trait("Category", "Package")]
public sealed class ConsumerAppTests(PackageFeed feed)
{
    [Fact]
    public async Task A_console_app_with_only_package_references_locks_on_real_nodes_and_sees_whether_a_skip_ran()
    {
        feed.AssertPacked();
        var app = feed.WriteConsumer("Consumer", Program, "RedlockAspects", "RedlockAspects.Testing", "Microsoft.Extensions.DependencyInjection@10.0.13");

        var build = await PackageFeed.BuildAsync(app);
        Assert.True(build.ExitCode == 0, build.Describe("dotnet build of the consumer"));

        var run = await PackageFeed.RunAsync(app, TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Describe("dotnet run of the consumer"));
        string[] expected =
        [
            "charged:1",
            "busy:key:acct-42",
            "charges-after-busy:1",
            "skip-while-held:False",
            "digest-runs-while-held:0",
            "skip-after-release:True",
            "digest-runs-after-release:1",
            "wrapper:RedlockAspects.Generators",
        ];
        foreach (var line in expected)
        {
            Assert.True(run.Output.Contains(line + "\n", StringComparison.Ordinal), run.Describe($"no line '{line}' in the consumer's output"));
        }
    }

    private const string Program = """
        using System.CodeDom.Compiler;
        using System.Reflection;
        using Microsoft.Extensions.DependencyInjection;
        using RedlockAspects;
        using RedlockAspects.Testing;

        // Three embedded Garnet nodes from the RedlockAspects.Testing package, in this process.
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3);

        var services = new ServiceCollection();
        services.AddRedlock(o =>
        {
            foreach (var node in nodes.ConnectionStrings)
            {
                o.Nodes.Add(node);
            }

            o.RetryCount = 2;
        });
        services.AddSingleton<Billing>();
        services.AddSingleton<DigestJob>();
        await using var provider = services.BuildServiceProvider();
        var redlock = provider.GetRequiredService<IRedlock>();
        var billing = provider.GetRequiredService<Billing>();
        var digest = provider.GetRequiredService<DigestJob>();

        await billing.ChargeAsync("acct-42", 10m);
        Console.WriteLine("charged:" + billing.Charges);

        var occurrence = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

        // Held by another async flow (within this one a nested acquisition would be reentrant).
        var account = await Task.Run(() => redlock.AcquireAsync("key:acct-42", TimeSpan.FromSeconds(30)));
        var job = await Task.Run(() => redlock.AcquireAsync("jobs:digest:202611260900", TimeSpan.FromSeconds(30)));
        try
        {
            await billing.ChargeAsync("acct-42", 5m);
            Console.WriteLine("busy:none");
        }
        catch (RedlockBusyException busy)
        {
            Console.WriteLine("busy:" + busy.Resource);
        }

        Console.WriteLine("charges-after-busy:" + billing.Charges);
        Console.WriteLine("skip-while-held:" + await digest.RunAsync(occurrence));
        Console.WriteLine("digest-runs-while-held:" + digest.Runs);

        await job.ReleaseAsync();
        await account.ReleaseAsync();
        Console.WriteLine("skip-after-release:" + await digest.RunAsync(occurrence));
        Console.WriteLine("digest-runs-after-release:" + digest.Runs);

        var wrapper = typeof(Billing).GetMethod(nameof(Billing.ChargeAsync))!.GetCustomAttribute<GeneratedCodeAttribute>();
        Console.WriteLine("wrapper:" + wrapper?.Tool);

        // The design card's example, verbatim.
        public sealed partial class Billing(IRedlock redlock)
        {
            public int Charges { get; private set; }

            [DistributedLock("key:<accountId>", TtlMs=1000)]
            public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

            private async Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct)
            {
                await Task.Delay(10, ct);
                Charges++;
            }
        }

        // Skip with a result: true when the body ran, false when another owner held the occurrence.
        public sealed partial class DigestJob(IRedlock redlock)
        {
            public int Runs { get; private set; }

            [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmm}", TtlMs = 5000, WaitMs = 0, OnBusy = OnBusy.Skip)]
            public partial Task<bool> RunAsync(DateTimeOffset occurrence, CancellationToken ct = default);

            private Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct)
            {
                Runs++;
                return Task.CompletedTask;
            }
        }
        """;
}
