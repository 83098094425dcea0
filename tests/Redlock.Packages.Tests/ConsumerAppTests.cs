using RedlockAspects.Packages.Tests.Infrastructure;

namespace RedlockAspects.Packages.Tests;

/// <summary>
/// A console app that has nothing but PackageReferences to the packed RedlockAspects, RedlockAspects.Testing and
/// Microsoft.Extensions.DependencyInjection builds with warnings as errors and runs its generated wrappers on three
/// embedded Garnet nodes: the card's example locks, a held lock makes a Throw method fail and a Skip method return
/// false without running its body, and true once it ran; a keyed engine on other nodes serves a class that takes it with
/// [FromKeyedServices]; inspection names the holder; the health check reports the nodes.
/// </summary>
[Collection(PackageFeedCollection.Name)]
[Trait("Category", "Package")]
public sealed class ConsumerAppTests(PackageFeed feed)
{
    [Fact]
    public async Task A_console_app_with_only_package_references_locks_skips_uses_a_keyed_engine_inspects_and_checks_health()
    {
        feed.AssertPacked();
        var app = feed.WriteConsumer("Consumer", Program, "RedlockAspects", "RedlockAspects.Testing", "Microsoft.Extensions.DependencyInjection@10.0.13", "Microsoft.Extensions.Logging@10.0.13");

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
            "keyed-charged:1",
            "keyed-engine-is-other:True",
            "inspect-held:True",
            "inspect-holder:consumer-app",
            "inspect-nodes-held:3",
            "inspect-after-release-free:True",
            "health:Healthy",
            "health-nodes-up:3",
            "keyed-health:Healthy",
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
        using Microsoft.Extensions.Diagnostics.HealthChecks;
        using RedlockAspects;
        using RedlockAspects.Testing;

        // Three embedded Garnet nodes from the RedlockAspects.Testing package, in this process.
        await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3);
        await using var euNodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 3);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRedlock(o =>
        {
            foreach (var node in nodes.ConnectionStrings)
            {
                o.Nodes.Add(node);
            }

            o.RetryCount = 2;
            o.HolderName = "consumer-app";
        });
        services.AddKeyedRedlock("eu", o =>
        {
            foreach (var node in euNodes.ConnectionStrings)
            {
                o.Nodes.Add(node);
            }
        });
        services.AddHealthChecks().AddRedlock().AddRedlock("redlock-eu", serviceKey: "eu");
        services.AddSingleton<Billing>();
        services.AddSingleton<EuBilling>();
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

        // A keyed engine: its own nodes, handed to the class by [FromKeyedServices].
        var eu = provider.GetRequiredService<EuBilling>();
        await eu.ChargeAsync("acct-7");
        Console.WriteLine("keyed-charged:" + eu.Charges);
        Console.WriteLine("keyed-engine-is-other:" + !ReferenceEquals(provider.GetRequiredKeyedService<IRedlock>("eu"), redlock));

        // Who holds this lock?
        await using (var held = await redlock.AcquireAsync("report:nightly", TimeSpan.FromSeconds(30)))
        {
            var seen = await redlock.InspectAsync("report:nightly");
            Console.WriteLine("inspect-held:" + (seen.IsHeld && seen.Token == held.Token));
            Console.WriteLine("inspect-holder:" + seen.Holder?.Name);

            // The last node's SET may land just after a quorum granted: look until every node has it.
            for (var i = 0; i < 100 && seen.Nodes.Count(n => n.KeyExists) < 3; i++)
            {
                await Task.Delay(50);
                seen = await redlock.InspectAsync("report:nightly");
            }

            Console.WriteLine("inspect-nodes-held:" + seen.Nodes.Count(n => n.KeyExists));
        }

        Console.WriteLine("inspect-after-release-free:" + (await redlock.InspectAsync("report:nightly")).IsFree);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Console.WriteLine("health:" + report.Entries["redlock"].Status);
        Console.WriteLine("health-nodes-up:" + report.Entries["redlock"].Data["nodesUp"]);
        Console.WriteLine("keyed-health:" + report.Entries["redlock-eu"].Status);

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

        public sealed partial class EuBilling([FromKeyedServices("eu")] IRedlock redlock)
        {
            public int Charges { get; private set; }

            [DistributedLock("eu:key:<accountId>", TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId, CancellationToken ct = default);

            private Task ChargeAsyncCore(string accountId, CancellationToken ct)
            {
                Charges++;
                return Task.CompletedTask;
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
