using RedlockAspects.Algorithm;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using Xunit.Abstractions;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// The seeded, randomized lease-safety harness on real nodes: at no instant may two leases on one resource both
/// believe they hold it, whatever the operations and faults. See docs/lease-safety.md, "The harness".
/// </summary>
public class LeaseSafetyHarnessTests(ITestOutputHelper output)
{
    private const string Filter = "FullyQualifiedName~LeaseSafetyHarness";

    // A run this small still did something; fewer operations means the harness itself is broken.
    private const int MinimumOperations = 200;

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Three_nodes_keep_the_promise_under_random_operations_and_faults(RedisBackend backend)
    {
        var config = HarnessConfig.FromEnvironment(backend, nodes: 3);
        await RunAndAssertSafeAsync(config, $"{Filter}&FullyQualifiedName~Three_nodes");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Five_nodes_keep_the_promise_under_random_operations_and_faults(RedisBackend backend)
    {
        var config = HarnessConfig.FromEnvironment(backend, nodes: 5);
        await RunAndAssertSafeAsync(config, $"{Filter}&FullyQualifiedName~Five_nodes");
    }

    /// <summary>
    /// The long run: REDLOCK_HARNESS_OPS operations (100,000 for the documented command) on redis-server where
    /// installed. Without the variable it runs at CI size, so it always checks something.
    /// </summary>
    [Fact]
    public async Task Long_run_from_environment()
    {
        var backend = RedisTestNodes.IsRedisServerAvailable() ? RedisBackend.RedisServer : RedisBackend.Garnet;
        var config = HarnessConfig.FromEnvironment(backend, nodes: 3);
        await RunAndAssertSafeAsync(config, $"{Filter}&FullyQualifiedName~Long");
    }

    /// <summary>
    /// Proves the checker can fail: with the planted defect (a shorter extension keeps the old validity) and a plan
    /// that shortens often, the harness must report violations.
    /// </summary>
    [Fact]
    public async Task Planted_bug_makes_the_harness_fail()
    {
        var config = HarnessConfig.FromEnvironment(RedisBackend.Garnet, nodes: 3) with
        {
            Operations = 1_500,
            WallClockBudget = TimeSpan.FromSeconds(15),
            Mutation = SafetyMutation.KeepValidityOnShorterExtension,
            LongerExtensionWeight = 1,
            ShorterExtensionWeight = 12,
            OtherExtensionWeight = 0,
            ThrowingCallbackRate = 0,
            Faults = false,
        };
        var report = await HarnessRun.RunAsync(config, config.ReplayCommand($"{Filter}&FullyQualifiedName~Planted"), output.WriteLine);
        output.WriteLine(report.ToString());

        Assert.True(report.Operations >= MinimumOperations, $"only {report.Operations} operations ran");
        var overlaps = report.ViolationsByKind.GetValueOrDefault(ViolationKind.SampledOverlap) + report.ViolationsByKind.GetValueOrDefault(ViolationKind.IntervalOverlap);
        Assert.True(overlaps > 0, $"the planted bug went unnoticed: {report.Summary}; replay: {config.ReplayCommand($"{Filter}&FullyQualifiedName~Planted")}");
    }

    private async Task RunAndAssertSafeAsync(HarnessConfig config, string filter)
    {
        var replay = config.ReplayCommand(filter);
        output.WriteLine($"seed {config.Seed}; replay: {replay}");
        var report = await HarnessRun.RunAsync(config, replay, output.WriteLine);
        output.WriteLine(report.ToString());

        Assert.True(report.Operations >= MinimumOperations, $"only {report.Operations} operations ran; {report.Summary}");
        Assert.True(report.FairLeases > 0, $"no lease was taken through the fair queue, so its paths went unchecked; {report.Summary}");
        Assert.True(report.ViolationCount == 0, $"{report}replay: {replay}");
    }
}
