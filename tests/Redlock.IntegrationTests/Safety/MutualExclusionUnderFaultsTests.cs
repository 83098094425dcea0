using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using Xunit.Abstractions;

namespace RedlockAspects.IntegrationTests.Safety;

/// <summary>
/// The safety property, under load and faults: 16 workers (each its own engine, as if in its own process) take one
/// resource on 3 nodes for at least 10,000 cycles while one node is killed and restarted and another is paused.
/// An interval checker proves that no two holders were ever inside at once. Half the workers also
/// make a nested (reentrant) acquisition while inside and release it before leaving.
/// </summary>
public class MutualExclusionUnderFaultsTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int Cycles = 10_000;
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(500);

    // The Redlock description's delayed restart: a node that comes back empty must stay out longer than the
    // longest TTL in play, or a lock it had granted could be granted again while the first holder still runs.
    private static readonly TimeSpan RestartDelay = Ttl * 2;

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Sixteen_workers_never_overlap_while_nodes_are_killed_restarted_and_paused(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: backend == RedisBackend.Garnet, restartDelay: RestartDelay);
        var engines = Enumerable.Range(0, Workers).Select(_ => bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromMilliseconds(100);
            o.RetryCount = -1;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.RetryJitter = TimeSpan.FromMilliseconds(3);
        })).ToArray();
        var resource = Names.Unique("safety");
        var checker = new OverlapChecker();
        var completed = 0;
        var noQuorum = 0;
        var lostInside = 0;
        var nestedShared = 0;
        var nestedNotShared = 0;
        var nestedOptions = new RedlockAcquireOptions { MaxWait = TimeSpan.Zero, RetryCount = 0 };
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var clock = Stopwatch.StartNew();

        async Task Worker(int id)
        {
            var engine = engines[id];
            var options = new RedlockAcquireOptions { MaxWait = TimeSpan.FromSeconds(30) };
            while (Volatile.Read(ref completed) < Cycles && !guard.IsCancellationRequested)
            {
                RedlockLease lease;
                try
                {
                    lease = await engine.AcquireAsync(resource, Ttl, options, guard.Token);
                }
                catch (RedlockNoQuorumException)
                {
                    Interlocked.Increment(ref noQuorum);
                    continue;
                }
                catch (RedlockBusyException)
                {
                    continue;
                }

                var entered = checker.Enter();
                if (id % 2 == 1)
                {
                    // A nested acquisition in the same flow must share the lease, and its release must not free the
                    // lock while this worker is still inside (the checker would see the next holder overlap).
                    RedlockLease? nested = null;
                    try
                    {
                        nested = await engine.TryAcquireAsync(resource, Ttl, nestedOptions, guard.Token);
                    }
                    catch (RedlockNoQuorumException)
                    {
                        // Only a request that went to the nodes can fail so: counted below as not shared.
                    }

                    if (ReferenceEquals(nested, lease))
                    {
                        Interlocked.Increment(ref nestedShared);
                    }
                    else if (!lease.IsLost)
                    {
                        Interlocked.Increment(ref nestedNotShared);
                    }

                    if (nested is not null)
                    {
                        await nested.ReleaseAsync();
                    }

                    await Task.Yield();
                }

                if (id % 4 == 0)
                {
                    await Task.Yield();
                }

                if (lease.IsLost)
                {
                    Interlocked.Increment(ref lostInside);
                }

                checker.Leave(entered, id);
                await lease.ReleaseAsync();
                Interlocked.Increment(ref completed);
            }
        }

        async Task<string> Faults()
        {
            await WaitForCycles(Cycles / 4);
            var killedAt = Volatile.Read(ref completed);
            await bed.Nodes.Nodes[0].KillAsync();
            var killClock = Stopwatch.StartNew();
            await WaitForCycles(killedAt + 500);
            await bed.Nodes.Nodes[0].RestartAsync();
            var downFor = killClock.Elapsed;
            var restartedAt = Volatile.Read(ref completed);

            await WaitForCycles(Cycles * 2 / 3);
            var pausedAt = Volatile.Read(ref completed);
            await bed.Nodes.Nodes[1].PauseAsync();
            await Task.Delay(Ttl * 1.5);
            await bed.Nodes.Nodes[1].ResumeAsync();
            var resumedAt = Volatile.Read(ref completed);
            return $"node 0 killed at cycle {killedAt}, down {downFor.TotalMilliseconds:0} ms, back at cycle {restartedAt}; node 1 paused at cycle {pausedAt}, resumed at {resumedAt}";
        }

        async Task WaitForCycles(int count)
        {
            while (Volatile.Read(ref completed) < count && !guard.IsCancellationRequested)
            {
                await Task.Delay(10);
            }
        }

        var faults = Faults();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(id => Task.Run(() => Worker(id))));
        var story = await faults;

        output.WriteLine($"{backend}: {completed} cycles by {Workers} workers in {clock.Elapsed.TotalSeconds:0.0} s; {story}; " +
                         $"no-quorum failures {noQuorum}; live overlaps {checker.LiveOverlaps}; interval overlaps {checker.IntervalOverlaps().Count}; lost while inside {lostInside}; nested acquisitions shared {nestedShared}, not shared {nestedNotShared}");

        Assert.False(guard.IsCancellationRequested, "the run did not finish in time");
        Assert.True(completed >= Cycles, $"only {completed} cycles");
        Assert.True(checker.Count >= Cycles);
        Assert.True(bed.Nodes.Nodes[0].IsRunning);
        Assert.Equal(0, checker.LiveOverlaps);
        Assert.Empty(checker.IntervalOverlaps());
        Assert.Equal(0, lostInside);
        Assert.True(nestedShared > 0, "no nested acquisition ran");
        Assert.Equal(0, nestedNotShared);
    }
}
