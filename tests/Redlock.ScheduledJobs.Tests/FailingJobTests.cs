using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Simulation;
using RedlockAspects.Scheduling;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>A job that throws is reported as failed; MaxAttempts decides whether its instance retries it.</summary>
[Collection(NodesCollection.Name)]
public sealed class FailingJobTests(NodeGroups groups, ITestOutputHelper output)
{
    private static readonly TimeSpan[] Skews = [TimeSpan.FromSeconds(2), TimeSpan.Zero, TimeSpan.FromSeconds(-2)];

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task ThrowingJob_WithoutRetries_IsReportedFailedOnce_AndNoOtherInstanceRunsIt(RedisBackend backend)
    {
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = Skews,
            Occurrences = 3,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(2);
                o.LockTtl = TimeSpan.FromSeconds(2);
            },
            Body = (_, context) => context.Occurrence.Minute == 1 && context.Occurrence.Second == 0 ? BodyPlan.Throw : BodyPlan.Complete,
        });

        var failing = result.Occurrences.Single(o => o.Minute == 1 && o.Second == 0);
        output.WriteLine($"{backend}: {result.Tally.Describe(failing)}");
        Assert.Equal(["A"], result.Tally.StartedOn(failing));
        Assert.Empty(result.Tally.CompletedOn(failing));
        var reports = result.Tally.Reports(failing);
        var failed = Assert.Single(reports, r => r.Report.Outcome == OccurrenceOutcome.Failed);
        Assert.Equal(("A", 1), (failed.Instance, failed.Report.Attempts));
        Assert.IsType<InvalidOperationException>(failed.Report.Exception);
        Assert.Equal(2, reports.Count(r => r.Report.Outcome == OccurrenceOutcome.RanElsewhere));
        Assert.All(result.Occurrences.Where(o => o != failing), o => Assert.Single(result.Tally.CompletedOn(o)));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task ThrowingJob_WithThreeAttempts_IsRetriedByItsInstanceUntilItCompletes(RedisBackend backend)
    {
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = Skews,
            Occurrences = 3,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(2);
                o.LockTtl = TimeSpan.FromSeconds(2);
                o.MaxAttempts = 3;
                o.RetryDelay = TimeSpan.FromMilliseconds(200);
            },
            Body = (_, context) => context.Attempt < 3 ? BodyPlan.Throw : BodyPlan.Complete,
        });

        foreach (var occurrence in result.Occurrences)
        {
            output.WriteLine($"{backend}: {result.Tally.Describe(occurrence)}");
            Assert.Equal(["A", "A", "A"], result.Tally.StartedOn(occurrence));
            Assert.Equal(["A"], result.Tally.CompletedOn(occurrence));
            var ran = Assert.Single(result.Tally.Reports(occurrence), r => r.Report.Outcome == OccurrenceOutcome.RanHere);
            Assert.Equal(3, ran.Report.Attempts);
        }
    }
}
