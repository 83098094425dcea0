using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Simulation;
using RedlockAspects.Scheduling;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>An instance dies in the middle of an occurrence: another takes it over, once.</summary>
[Collection(NodesCollection.Name)]
public sealed class RecoveryTests(NodeGroups groups, ITestOutputHelper output)
{
    private static readonly TimeSpan[] SameClock = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero];

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task HolderKilledMidRun_ItsOccurrenceIsRecoveredExactlyOnceByAnotherInstance(RedisBackend backend)
    {
        var killed = 0;
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = SameClock,
            Occurrences = 3,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(1);
                o.MaxRunTime = TimeSpan.FromSeconds(10);
                o.LockTtl = TimeSpan.FromSeconds(2);
            },
            Body = (_, context) => context.Occurrence.Minute == 1 && context.Occurrence.Second == 0 && Interlocked.Exchange(ref killed, 1) == 0 ? BodyPlan.KillInstance : BodyPlan.Complete,
        });

        output.WriteLine($"{backend}: {string.Join("; ", result.Kills)}");
        foreach (var occurrence in result.Occurrences)
        {
            output.WriteLine(result.Tally.Describe(occurrence));
        }

        var victim = Assert.Single(result.Kills);
        Assert.Empty(result.NotExactlyOnce);
        var hit = result.Occurrences.Single(o => result.Tally.StartedOn(o).Count == 2);

        // Both survivors fired with the victim and found its lock held: one took it over when the lock expired, the
        // other then found it done.
        var reports = result.Tally.Reports(hit);
        Assert.Equal(2, reports.Count);
        var recovered = Assert.Single(reports, r => r.Report.Outcome == OccurrenceOutcome.Recovered);
        Assert.Single(reports, r => r.Report.Outcome == OccurrenceOutcome.RanElsewhere);
        Assert.Equal([recovered.Instance], result.Tally.CompletedOn(hit));
        Assert.StartsWith(result.Tally.StartedOn(hit).Single(i => i != recovered.Instance), victim, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task HolderKilledMidRun_WithClocksTenSecondsApartEitherWay_IsRecoveredExactlyOnce(RedisBackend backend)
    {
        // A (10 s ahead) takes every occurrence first. A 25 s lock TTL keeps A's lock alive past B's and C's firings
        // (10 and 20 s later), so both find it held and watch; when it expires one of them takes the occurrence over.
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = [TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromSeconds(-10)],
            Cron = "0 * * * * *",
            Occurrences = 3,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(10);
                o.MaxRunTime = TimeSpan.FromSeconds(30);
                o.LockTtl = TimeSpan.FromSeconds(25);
            },
            Body = (instance, context) => instance == "A" && context.Occurrence.Minute == 2 ? BodyPlan.KillInstance : BodyPlan.Complete,
        });

        foreach (var occurrence in result.Occurrences)
        {
            output.WriteLine($"{backend}: {result.Tally.Describe(occurrence)}");
        }

        Assert.Single(result.Kills);
        Assert.Empty(result.NotExactlyOnce);
        var hit = result.Occurrences.Single(o => o.Minute == 2);
        Assert.Equal(["A", result.Tally.CompletedOn(hit).Single()], result.Tally.StartedOn(hit));
        Assert.Single(result.Tally.Reports(hit), r => r.Report.Outcome == OccurrenceOutcome.Recovered);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task HolderKilledAfterItsBodyCompletedButBeforeTheMark_TheOccurrenceRunsAgain_EffectivelyOnce(RedisBackend backend)
    {
        // The documented limit: the body's work is done but the done marker never written, so recovery runs it again
        // (with context.Recovery set). This is why a job with recovery on must be idempotent.
        var killed = 0;
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = SameClock,
            Occurrences = 3,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(1);
                o.LockTtl = TimeSpan.FromSeconds(2);
            },
            Body = (_, context) => context.Occurrence.Minute == 1 && context.Occurrence.Second == 0 && Interlocked.Exchange(ref killed, 1) == 0 ? BodyPlan.KillAfterCompleting : BodyPlan.Complete,
        });

        var hit = result.Occurrences.Single(o => o.Minute == 1 && o.Second == 0);
        output.WriteLine($"{backend}: {result.Tally.Describe(hit)}");
        Assert.Equal(2, result.Tally.CompletedOn(hit).Count);
        Assert.Single(result.Tally.Reports(hit), r => r.Report.Outcome == OccurrenceOutcome.Recovered);
        Assert.All(result.Occurrences.Where(o => o != hit), o => Assert.Single(result.Tally.CompletedOn(o)));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task RecoveryOff_AnOccurrenceWhoseHolderDiesIsNotRunAgain(RedisBackend backend)
    {
        var killed = 0;
        var result = await SimulatedCluster.RunAsync(new SimulationSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = SameClock,
            Occurrences = 3,
            Configure = o =>
            {
                o.MaxClockSkew = TimeSpan.FromSeconds(1);
                o.LockTtl = TimeSpan.FromSeconds(2);
                o.Recovery = false;
            },
            Body = (_, context) => context.Occurrence.Minute == 0 && context.Occurrence.Second == 30 && Interlocked.Exchange(ref killed, 1) == 0 ? BodyPlan.KillInstance : BodyPlan.Complete,
        });

        // At most once: the first occurrence's body died and nobody took it over; the others ran once.
        var first = result.Occurrences[0];
        output.WriteLine($"{backend}: {result.Tally.Describe(first)}");
        Assert.Empty(result.Tally.CompletedOn(first));
        Assert.All(result.Tally.Reports(first), r => Assert.Equal(OccurrenceOutcome.RanElsewhere, r.Report.Outcome));
        Assert.All(result.Occurrences.Skip(1), o => Assert.Single(result.Tally.CompletedOn(o)));
    }
}
