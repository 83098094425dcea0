using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Simulation;
using RedlockAspects.Scheduling;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>Every instance was down when some occurrences fell due; on start-up the catch-up policy decides.</summary>
[Collection(NodesCollection.Name)]
public sealed class CatchUpTests(NodeGroups groups, ITestOutputHelper output)
{
    // The instances start at 08:02:10 (clocks within half a second); the run checks 08:00:00 to 08:03:00. A 95 s
    // window reaches back to about 08:00:35: it holds 08:01:00, 08:01:30 and 08:02:00 on every clock.
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 8, 2, 10, TimeSpan.Zero);

    public static TheoryData<RedisBackend, CatchUpPolicy> Cases()
    {
        var data = new TheoryData<RedisBackend, CatchUpPolicy>();
        foreach (var backend in TestBackends.All)
        {
            foreach (var policy in Enum.GetValues<CatchUpPolicy>())
            {
                data.Add(backend, policy);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MissedOccurrences_AreRunOnceEachAsThePolicySays_AndLaterOnesAsUsual(RedisBackend backend, CatchUpPolicy policy)
    {
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = [TimeSpan.FromMilliseconds(500), TimeSpan.Zero, TimeSpan.FromMilliseconds(-500)],
            TrueStart = Start,
            FirstOccurrence = new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero),
            Occurrences = 7,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(1);
                o.LockTtl = TimeSpan.FromSeconds(2);
                o.CatchUp = policy;
                o.CatchUpWindow = policy == CatchUpPolicy.None ? TimeSpan.Zero : TimeSpan.FromSeconds(95);
            },
        });

        var runs = result.Occurrences.Select(o => result.Tally.CompletedOn(o).Count).ToArray();
        output.WriteLine($"{backend}, {policy}: runs per occurrence 08:00:00..08:03:00 = [{string.Join(", ", runs)}]");
        int[] expected = policy switch
        {
            CatchUpPolicy.None => [0, 0, 0, 0, 0, 1, 1],
            CatchUpPolicy.Last => [0, 0, 0, 0, 1, 1, 1],
            _ => [0, 0, 1, 1, 1, 1, 1],
        };
        Assert.Equal(expected, runs);

        // Caught-up occurrences are reported as such, by every instance (one ran each, the others found it done).
        foreach (var occurrence in result.Occurrences.Where(o => o < Start && result.Tally.CompletedOn(o).Count == 1))
        {
            var reports = result.Tally.Reports(occurrence);
            Assert.Equal(3, reports.Count);
            Assert.All(reports, r => Assert.True(r.Report.CatchUp));
            Assert.Single(reports, r => r.Report.Outcome == OccurrenceOutcome.RanHere);
        }
    }
}
