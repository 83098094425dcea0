using System.Diagnostics;
using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Jobs;
using RedlockAspects.Testing;
using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>The TTL dilemma, gone: a short TTL, a long job, and nobody else gets in.</summary>
[Collection(NodesCollection.Name)]
public sealed class AutoExtensionTests(NodeGroups groups, ITestOutputHelper output)
{
    // Four TTLs: long enough that the key would have expired several times over, and the attempts below stop 3 s before
    // the body ends, which leaves a busy CI machine's slow rounds plenty of room.
    private static readonly TimeSpan Work = TimeSpan.FromMilliseconds(8000);

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task JobLongerThanItsTtl_FinishesUnderAutoExtension_WhileNoOtherInstanceRunsTheOccurrence(RedisBackend backend)
    {
        await using var instances = await Instances.CreateAsync<LongDigestJob>(await groups.GetAsync(backend), 3, new DigestWorkOptions { Duration = Work });
        var occurrence = new DateTimeOffset(2025, 1, 6, 8, 0, 30, TimeSpan.Zero);

        var watch = Stopwatch.StartNew();
        var first = instances.Job<LongDigestJob>(0).RunAsync(occurrence, CancellationToken.None);
        await WaitUntilAsync(() => instances.Work(0).Runs(occurrence) == 1);

        // While A works, B and C keep firing the same occurrence, as late instances (or retries) would. They stop
        // well before A's body can end: once A releases, the occurrence is free again, and that is not what this
        // test is about.
        var attempts = 0;
        var slowestRound = TimeSpan.Zero;
        var lastRoundStarted = TimeSpan.Zero;
        while (watch.Elapsed < Work - TimeSpan.FromSeconds(3))
        {
            var roundStarted = watch.Elapsed;
            lastRoundStarted = roundStarted;
            await Task.WhenAll(
                instances.Job<LongDigestJob>(1).RunAsync(occurrence, CancellationToken.None),
                instances.Job<LongDigestJob>(2).RunAsync(occurrence, CancellationToken.None));
            attempts++;
            slowestRound = TimeSpan.FromTicks(Math.Max(slowestRound.Ticks, (watch.Elapsed - roundStarted).Ticks));
            await Task.Delay(25);
        }

        // The watch started before A's body did, so every attempt above ended while A still held the lock.
        var attemptsEndedAt = watch.Elapsed;
        Assert.True(attemptsEndedAt < Work, $"the attempts ran until {attemptsEndedAt.TotalMilliseconds:0} ms, past A's body");
        Assert.Equal(0, instances.Work(1).Runs(occurrence));
        Assert.Equal(0, instances.Work(2).Runs(occurrence));

        // A finished normally: a lost lock would have cancelled its body and surfaced as RedlockLostException.
        await first;
        watch.Stop();
        // (Timers tick in whole milliseconds, so the body's delay can end a hair before the stopwatch reaches the work's length.)
        Assert.True(watch.Elapsed >= Work - TimeSpan.FromMilliseconds(20), $"the job took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(Work.TotalMilliseconds >= 2 * Math.Max(LongDigestJob.TtlMs, LongDigestJob.MinHoldMs));
        Assert.Equal(1, instances.Work(0).Runs(occurrence));

        output.WriteLine($"{backend}: A worked {watch.Elapsed.TotalMilliseconds:0} ms under a {LongDigestJob.TtlMs} ms TTL; B and C tried {attempts} times each in its first {attemptsEndedAt.TotalMilliseconds:0} ms (slowest round {slowestRound.TotalMilliseconds:0} ms) and skipped every time");

        // Tries all through the job, including after the TTL and the minimum hold would have run out (how many rounds fit
        // depends on the machine's load).
        Assert.True(attempts >= 3, $"only {attempts} rounds of attempts");
        Assert.True(lastRoundStarted > TimeSpan.FromMilliseconds(Math.Max(LongDigestJob.TtlMs, LongDigestJob.MinHoldMs)),
            $"the last round started at {lastRoundStarted.TotalMilliseconds:0} ms, before the TTL and minimum hold would have run out");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(5);
        }
    }
}
