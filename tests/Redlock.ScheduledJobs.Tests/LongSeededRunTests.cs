using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Simulation;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>
/// Hundreds of occurrences with random skews and random kills (an instance dies in the middle of a body and comes
/// back a minute later). Every kill happens before the body completes, with the other instances up: the documented
/// guarantee there is exactly once, so no occurrence may run 0 or 2+ times.
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class LongSeededRunTests(NodeGroups groups, ITestOutputHelper output)
{
    private const int Occurrences = 300;

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task RandomSkewsAndKills_EveryOccurrenceCompletesExactlyOnce(RedisBackend backend)
    {
        var seed = 20251126 + (int)backend;
        var random = new Random(seed);
        var skews = Enumerable.Range(0, 3).Select(_ => TimeSpan.FromMilliseconds(Math.Round((random.NextDouble() * 20 - 10) * 1000))).ToArray();
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = skews,
            Occurrences = Occurrences,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(10);
                o.MaxRunTime = TimeSpan.FromSeconds(10);
                // Longer than some gaps between the clocks and shorter than others: some kills are found by instances
                // already watching (recovered), others by instances that fire after the lock has expired.
                o.LockTtl = TimeSpan.FromSeconds(6);
            },
            KillChance = 0.08,
            Seed = seed,
            RestartAfter = TimeSpan.FromSeconds(60),
        });

        var (zero, one, twoOrMore) = result.Counts;
        var recovered = result.Occurrences.Count(o => result.Tally.Reports(o).Any(r => r.Report.Outcome == Scheduling.OccurrenceOutcome.Recovered));
        output.WriteLine($"{backend}, seed {seed}, skews {string.Join(", ", skews.Select(s => s.TotalSeconds))} s: {Occurrences} occurrences, " +
            $"{result.Kills.Count} kills ({recovered} recovered by a waiting instance); ran 0 times: {zero}, once: {one}, 2+ times: {twoOrMore}");
        foreach (var line in result.NotExactlyOnce)
        {
            output.WriteLine(line);
        }

        Assert.True(result.Kills.Count >= 5, $"only {result.Kills.Count} kills");
        Assert.Equal((0, Occurrences, 0), (zero, one, twoOrMore));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task RandomKillsAlsoAfterTheBodyCompleted_NothingIsLost_AndOnlyThoseRunTwice(RedisBackend backend)
    {
        // Some kills now land after the body's work but before the done marker: the documented "effectively once"
        // case, where the occurrence may run twice. Nothing may be lost, and nothing else may run twice.
        var seed = 7 + (int)backend;
        var random = new Random(seed);
        var skews = Enumerable.Range(0, 3).Select(_ => TimeSpan.FromMilliseconds(Math.Round((random.NextDouble() * 20 - 10) * 1000))).ToArray();
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = skews,
            Occurrences = Occurrences,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(10);
                o.MaxRunTime = TimeSpan.FromSeconds(10);
                o.LockTtl = TimeSpan.FromSeconds(6);
            },
            KillChance = 0.05,
            KillAfterCompletionChance = 0.05,
            Seed = seed,
            RestartAfter = TimeSpan.FromSeconds(60),
        });

        var (zero, one, twoOrMore) = result.Counts;
        var afterCompleting = result.Occurrences.Count(result.Tally.WasKilledAfterCompleting);
        output.WriteLine($"{backend}, seed {seed}, skews {string.Join(", ", skews.Select(s => s.TotalSeconds))} s: {Occurrences} occurrences, " +
            $"{result.Kills.Count} kills, {afterCompleting} of them after the body completed; ran 0 times: {zero}, once: {one}, 2+ times: {twoOrMore}");
        Assert.True(afterCompleting >= 3, $"only {afterCompleting} kills after completion");
        Assert.Equal(0, zero);
        Assert.All(result.Occurrences.Where(o => result.Tally.CompletedOn(o).Count >= 2), o => Assert.True(result.Tally.WasKilledAfterCompleting(o), result.Tally.Describe(o)));
        Assert.All(result.Occurrences, o => Assert.InRange(result.Tally.CompletedOn(o).Count, 1, 2));
    }
}
