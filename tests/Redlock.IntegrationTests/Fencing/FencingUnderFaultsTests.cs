using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using Xunit.Abstractions;

namespace RedlockAspects.IntegrationTests.Fencing;

/// <summary>
/// The fencing guarantee under faults: several engines take fenced leases on two resources for thousands of grants while
/// a seeded fault plan kills (and restarts empty, after the delay, waiting until the engines have copied the counters
/// back before the next fault), pauses and slows one node at a time. Each holder,
/// while its lease still believes it holds the lock, checks that its token is larger than every token seen before on
/// that resource (the order of believing holders is the grant order, since no two believe at once).
/// </summary>
public class FencingUnderFaultsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(300);

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Tokens_grow_in_grant_order_while_nodes_are_killed_paused_and_slowed(RedisBackend backend)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("REDLOCK_FENCING_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay: REDLOCK_FENCING_SEED={seed} dotnet test tests/Redlock.IntegrationTests --filter \"FullyQualifiedName~FencingUnderFaults\")");
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true, restartDelay: Ttl * 3);
        var engines = Enumerable.Range(0, 4).Select(_ => bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromMilliseconds(100);
            o.RetryDelay = TimeSpan.FromMilliseconds(2);
            o.RetryJitter = TimeSpan.FromMilliseconds(2);
        })).ToArray();
        var resources = new[] { Names.Unique("fenced-a"), Names.Unique("fenced-b") };
        var highest = new long[resources.Length];
        var highestBy = new string[resources.Length];
        var gate = new object();
        var grants = 0;
        var checkedGrants = 0;
        var violations = new List<string>();
        const int target = 3_000;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var clock = Stopwatch.StartNew();

        async Task Worker(int id)
        {
            var random = new Random(seed + id);
            var options = new RedlockAcquireOptions { Fencing = true, RetryCount = -1, MaxWait = TimeSpan.FromSeconds(5) };
            while (Volatile.Read(ref grants) < target && !stop.IsCancellationRequested)
            {
                var r = random.Next(resources.Length);
                RedlockLease lease;
                try
                {
                    lease = await engines[id].AcquireAsync(resources[r], Ttl, options, stop.Token);
                }
                catch (RedlockException)
                {
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await using (lease)
                {
                    Interlocked.Increment(ref grants);
                    lock (gate)
                    {
                        if (!lease.IsLost && lease.RemainingValidity > TimeSpan.Zero)
                        {
                            checkedGrants++;
                            var now = clock.Elapsed.TotalMilliseconds;
                            if (lease.FencingToken <= highest[r])
                            {
                                violations.Add($"{resources[r]}: worker {id} at {now:0.0} ms (valid {lease.RemainingValidity.TotalMilliseconds:0.0} ms more) has token {lease.FencingToken} after {highest[r]} ({highestBy[r]})");
                            }

                            if (lease.FencingToken > highest[r])
                            {
                                highest[r] = lease.FencingToken.Value;
                                highestBy[r] = $"worker {id} at {now:0.0} ms";
                            }
                        }
                    }

                    if (random.Next(4) == 0)
                    {
                        await Task.Delay(random.Next(3));
                    }
                }
            }
        }

        async Task Faults()
        {
            var random = new Random(seed);
            var kills = 0;
            var pauses = 0;
            var slow = 0;
            while (Volatile.Read(ref grants) < target && !stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(100, 400));
                var node = bed.Nodes.Nodes[random.Next(3)];
                // Kills weigh double: restarts that lose data one node after another are the hard case for the counters.
                switch (random.Next(4) switch { 0 or 1 => 0, var k => k - 1 })
                {
                    case 0:
                        output.WriteLine($"{clock.Elapsed.TotalMilliseconds:0.0} ms: kill node {node.Index}");
                        await node.KillAsync();
                        await node.RestartAsync();
                        output.WriteLine($"{clock.Elapsed.TotalMilliseconds:0.0} ms: node {node.Index} back, empty");

                        // The guarantee allows one data loss per repair window: the next fault waits until the engines
                        // have copied the counters back (they mark the node when done).
                        await Eventually.TrueAsync(async () => await (await bed.NodeAsync(node.Index)).KeyExistsAsync("redlock-aspects:incarnation"),
                            TimeSpan.FromSeconds(30), $"node {node.Index} was not repaired");
                        output.WriteLine($"{clock.Elapsed.TotalMilliseconds:0.0} ms: node {node.Index} repaired");
                        kills++;
                        break;
                    case 1:
                        await node.PauseAsync(PauseMode.Proxy);
                        await Task.Delay(random.Next(50, 400));
                        await node.ResumeAsync();
                        pauses++;
                        break;
                    default:
                        node.Latency = TimeSpan.FromMilliseconds(random.Next(5, 60));
                        await Task.Delay(random.Next(100, 400));
                        node.Latency = TimeSpan.Zero;
                        slow++;
                        break;
                }
            }

            output.WriteLine($"faults: {kills} kill/restart-empty, {pauses} pauses, {slow} slow spells");
        }

        await Task.WhenAll(Enumerable.Range(0, engines.Length).Select(Worker).Append(Faults()));

        output.WriteLine($"{backend}: {grants} fenced grants in {clock.Elapsed.TotalSeconds:0.0} s, {checkedGrants} checked while believed; highest tokens {string.Join(", ", highest)}; {violations.Count} violations");
        foreach (var violation in violations.Take(20))
        {
            output.WriteLine(violation);
        }

        Assert.Empty(violations);
        Assert.True(grants >= target, $"only {grants} grants before the guard ran out");
        Assert.True(checkedGrants > target / 2, $"only {checkedGrants} grants were checked");
    }
}
