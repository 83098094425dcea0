using Microsoft.Extensions.Configuration;
using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.Testing;
using ScheduledJobs;
using ScheduledJobs.Configuration;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>The sample as its users run it (real skewed clocks, its own embedded nodes), shortened to a 1 s period.</summary>
public sealed class SampleRunTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task SampleRun_FixedEndsWithTheExactlyOnceVerdictAndExitsZero_NaiveListsTheDoubleRunsAndExitsOne(RedisBackend backend)
    {
        var fixedRun = RunAsync(new DemoSettings { Period = 1, MaxSkew = 0.3, Occurrences = 3, WorkMs = 100, Backend = backend });
        var naiveRun = RunAsync(new DemoSettings { Period = 1, MaxSkew = 0.3, Occurrences = 3, WorkMs = 100, Backend = backend, Naive = true });
        var (fixedExit, fixedOutput) = await fixedRun;
        var (naiveExit, naiveOutput) = await naiveRun;
        output.WriteLine(fixedOutput);
        output.WriteLine(naiveOutput);

        Assert.Equal(DemoRunner.ExactlyOnce, fixedExit);
        Assert.Equal("3 occurrences, each ran exactly once", LastLine(fixedOutput));

        // Every instance fires after the previous one has released the fixed key, so each occurrence runs 3 times.
        Assert.Equal(DemoRunner.Violations, naiveExit);
        Assert.StartsWith("3 occurrences, 3 not run exactly once: ", LastLine(naiveOutput), StringComparison.Ordinal);
        Assert.Equal(3, LastLine(naiveOutput).Split("ran 3 times").Length - 1);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task SampleRun_KillOne_TheKilledInstancesOccurrenceIsRecovered_AndEveryOccurrenceRunsExactlyOnce(RedisBackend backend)
    {
        var (exit, text) = await RunAsync(new DemoSettings { Period = 1, MaxSkew = 0.3, Occurrences = 4, WorkMs = 200, Backend = backend, KillOne = true });
        output.WriteLine(text);

        Assert.Equal(DemoRunner.ExactlyOnce, exit);
        Assert.Equal("4 occurrences, each ran exactly once", LastLine(text));
        var killLine = Assert.Single(text.Split('\n'), l => l.StartsWith("killed    ", StringComparison.Ordinal));
        Assert.Contains("half way through", killLine, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody ran it", killLine, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(DemoSettings settings)
    {
        using var writer = new StringWriter();
        var exit = await DemoRunner.RunAsync(new ConfigurationBuilder().Build(), settings, writer, CancellationToken.None);
        return (exit, writer.ToString());
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].TrimEnd('\r');
}
