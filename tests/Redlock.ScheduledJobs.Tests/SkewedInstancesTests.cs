using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Jobs;
using RedlockAspects.Testing;
using ScheduledJobs.Jobs;
using ScheduledJobs.Scheduling;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>
/// The runtime-only fix, by hand ([DistributedLock] with the occurrence in the key and a minimum hold; see
/// <see cref="ScheduledJobSkewTests"/> for the same run through AddScheduledJob). Three instances whose clocks disagree by up to 20 s, on a 30 s schedule, for 100+ occurrences (50 minutes of
/// schedule on fake clocks; the locks and their expiry are real).
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class SkewedInstancesTests(NodeGroups groups, ITestOutputHelper output)
{
    private const int Occurrences = 120;

    // The two extremes of [-10 s, +10 s], so the spread is the worst the range allows, and one drawn from it.
    private static IReadOnlyList<TimeSpan> Skews(int seed) =>
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(-10), TimeSpan.FromMilliseconds(Math.Round((new Random(seed).NextDouble() * 20 - 10) * 1000))];

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task OccurrenceKeyWithMinHold_ThreeInstancesSkewedWithinTenSeconds_EachOccurrenceRunsExactlyOnce(RedisBackend backend)
    {
        var skews = Skews(seed: (int)backend + 1);
        var result = await LockstepRun.RunAsync(new LockstepSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = skews,
            Occurrences = Occurrences,
            RegisterJob = services => services.AddSingleton<IDigestJob, MinHoldDigestJob>(),
        });

        output.WriteLine($"{backend}, skews {string.Join(", ", skews.Select(s => s.TotalSeconds))} s: {result.Verdict.Line}");
        Assert.True(result.Verdict.ExactlyOnce, $"skews {string.Join(", ", skews)}: {result.Verdict.Line}");
        Assert.Equal(Occurrences, result.Rows.Count);
        foreach (var row in result.Rows)
        {
            // Every instance fired every occurrence; one ran it, the others skipped without failing.
            Assert.Equal(3, row.ByInstance.Count);
            Assert.Single(row.RanOn);
            Assert.Equal(2, row.ByInstance.Values.Count(r => r.Outcome == RunOutcome.Skipped));

            // The late instance fired 20 s after the runner had finished and released: only the minimum hold stopped it.
            var fired = row.ByInstance.Values.Select(result.TrueFiredAt).ToArray();
            Assert.Equal(TimeSpan.FromSeconds(20), fired.Max() - fired.Min());
        }

        Assert.Equal($"{Occurrences} occurrences, each ran exactly once", result.Verdict.Line);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task MinHoldShorterThanTheClocksSpread_LetsTheLateInstanceRunTheOccurrenceAgain(RedisBackend backend)
    {
        // The same run with a 5 s minimum hold: the key is gone when the instance 20 s behind fires. This is what
        // the test above would see if the minimum hold were ignored or too short, so the harness can fail it.
        var result = await LockstepRun.RunAsync(new LockstepSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = Skews(seed: (int)backend + 1),
            Occurrences = 10,
            RegisterJob = services => services.AddSingleton<IDigestJob, ShortHoldDigestJob>(),
        });

        output.WriteLine($"{backend}, min-hold {ShortHoldDigestJob.MinHoldMs} ms: {result.Verdict.Line}");

        // A, furthest ahead, always runs first; whoever fires more than 5 s after the last run runs it again.
        Assert.False(result.Verdict.ExactlyOnce);
        Assert.All(result.Rows, row => Assert.Contains("A", row.RanOn));
        Assert.All(result.Rows, row => Assert.True(row.RanOn.Count >= 2, $"{row.Occurrence:T} ran only on {string.Join(", ", row.RanOn)}"));
    }
}
