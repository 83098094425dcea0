using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Simulation;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>A schedule whose next occurrence is a year away: longer than a timer can wait in one go.</summary>
[Collection(NodesCollection.Name)]
public sealed class SparseScheduleTests(NodeGroups groups, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task LeapDayJob_StartedTheYearBefore_WaitsAndRunsOnFebruary29Once(RedisBackend backend)
    {
        var leapDay = new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero);
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = [TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromSeconds(-1)],
            Cron = "0 0 29 2 *",
            TrueStart = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero),
            FirstOccurrence = leapDay,
            Occurrences = 1,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(1);
                o.LockTtl = TimeSpan.FromSeconds(2);
            },
        });

        output.WriteLine($"{backend}: {result.Tally.Describe(leapDay)}");
        Assert.Equal(["A"], result.Tally.CompletedOn(leapDay));
        Assert.Equal(3, result.Tally.Reports(leapDay).Count);
    }
}
