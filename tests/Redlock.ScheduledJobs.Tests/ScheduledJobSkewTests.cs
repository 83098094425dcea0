using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Simulation;
using RedlockAspects.Scheduling;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>
/// The seed's skew problem through <c>AddScheduledJob</c>: three instances whose clocks disagree by up to 20 s, a
/// 30 s schedule, 120 occurrences on fake clocks; the locks and done markers are real keys on real nodes.
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class ScheduledJobSkewTests(NodeGroups groups, ITestOutputHelper output)
{
    private const int Occurrences = 120;

    // The two extremes of [-10 s, +10 s], so the spread is the worst the range allows, and one drawn from it.
    private static IReadOnlyList<TimeSpan> Skews(int seed) =>
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(-10), TimeSpan.FromMilliseconds(Math.Round((new Random(seed).NextDouble() * 20 - 10) * 1000))];

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task ThreeInstancesSkewedWithinTenSeconds_EachOccurrenceRunsExactlyOnce_AndALateInstanceNeverRerunsACompletedOne(RedisBackend backend)
    {
        var skews = Skews(seed: (int)backend + 1);
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = skews,
            Occurrences = Occurrences,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(10);
                o.MaxRunTime = TimeSpan.FromSeconds(10);
                o.LockTtl = TimeSpan.FromSeconds(2);
            },
        });

        output.WriteLine($"{backend}, skews {string.Join(", ", skews.Select(s => s.TotalSeconds))} s: 0/1/2+ = {result.Counts}");
        Assert.Empty(result.NotExactlyOnce);
        foreach (var occurrence in result.Occurrences)
        {
            var reports = result.Tally.Reports(occurrence);
            Assert.Equal(3, reports.Count);

            // A, furthest ahead, fires first and runs it; the others fire 10 and 20 s later, after A finished and
            // released its lock, and find the done marker.
            Assert.Equal(["A"], result.Tally.StartedOn(occurrence));
            Assert.Equal(OccurrenceOutcome.RanHere, reports.Single(r => r.Instance == "A").Report.Outcome);
            Assert.All(reports.Where(r => r.Instance != "A"), r => Assert.Equal(OccurrenceOutcome.RanElsewhere, r.Report.Outcome));
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task MaxClockSkewBelowTheRealSkew_LetsTheLateInstanceRunTheOccurrenceAgain(RedisBackend backend)
    {
        // The same clocks, but the job claims they are within 2 s (and nothing else lengthens the marker): the marker
        // is gone when the instance 20 s behind (and maybe the drawn one) fires. This is what the test above would see if the done marker did
        // not work, so the harness can fail it.
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = Skews(seed: (int)backend + 1),
            Occurrences = 10,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(2);
                o.MaxFiringDelay = TimeSpan.Zero;
                o.Recovery = false;
                o.LockTtl = TimeSpan.FromSeconds(1);
            },
        });

        output.WriteLine($"{backend}: done marker {TimeSpan.FromSeconds(6)}, 0/1/2+ = {result.Counts}");
        Assert.All(result.Occurrences, o => Assert.Contains("A", result.Tally.CompletedOn(o)));
        Assert.All(result.Occurrences, o => Assert.True(result.Tally.CompletedOn(o).Count >= 2, result.Tally.Describe(o)));
    }
}
