using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>The seed article's bug, reproduced with its own setup on real nodes.</summary>
[Collection(NodesCollection.Name)]
public sealed class NaiveSetupTests(NodeGroups groups, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task NaiveLock_WithOneClockTenSecondsAhead_RunsTheSameOccurrenceTwice(RedisBackend backend)
    {
        // A: the machine whose clock had been set ~10 s ahead. B: on time. Fixed key, released on completion.
        var result = await LockstepRun.RunAsync(new LockstepSetup
        {
            Nodes = await groups.GetAsync(backend),
            Skews = [TimeSpan.FromSeconds(10), TimeSpan.Zero],
            Occurrences = 3,
            Naive = true,
        });

        output.WriteLine($"{backend}: {result.Verdict.Line}");
        Assert.Equal(3, result.Rows.Count);
        foreach (var row in result.Rows)
        {
            // The same occurrence ran on both machines...
            Assert.Equal(["A", "B"], row.RanOn);

            // ...because the runs did not overlap: A fired 10 s early, finished and released; B found the key free.
            Assert.Equal(row.Occurrence - TimeSpan.FromSeconds(10), result.TrueFiredAt(row.ByInstance["A"]));
            Assert.Equal(row.Occurrence, result.TrueFiredAt(row.ByInstance["B"]));
        }

        Assert.False(result.Verdict.ExactlyOnce);
        Assert.StartsWith("3 occurrences, 3 not run exactly once:", result.Verdict.Line, StringComparison.Ordinal);
    }
}
