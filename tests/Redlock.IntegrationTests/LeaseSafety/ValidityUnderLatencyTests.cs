using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>Validity is start + ttl − drift, counted once, and no lease is returned below MinValidity (lease-safety defect 3).</summary>
public class ValidityUnderLatencyTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_time_spent_acquiring_is_subtracted_once(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var engine = bed.Engine(o => o.NodeTimeout = TimeSpan.FromSeconds(2));
        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.FromMilliseconds(20);
        }

        var clock = Stopwatch.StartNew();
        await using var lease = await engine.AcquireAsync(Names.Unique("latency"), TimeSpan.FromSeconds(1));
        var left = lease.RemainingValidity;
        var elapsed = clock.Elapsed;

        // ttl − drift = 1000 − 12 = 988 ms from the attempt's start, which came after the clock started.
        Assert.True(left >= TimeSpan.FromMilliseconds(988) - elapsed, $"{left.TotalMilliseconds:0.#} ms left after {elapsed.TotalMilliseconds:0.#} ms; expected at least {988 - elapsed.TotalMilliseconds:0.#}");
        // 20 ms each way: a round trip takes about 40 ms (the proxy's timers may fire a little early, hence 30).
        Assert.True(left <= TimeSpan.FromMilliseconds(988) - TimeSpan.FromMilliseconds(30), $"{left.TotalMilliseconds:0.#} ms left, but a round trip takes about 40 ms");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_grant_with_less_than_the_minimum_validity_left_is_not_returned(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var engine = bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromSeconds(2);
            o.MinValidity = TimeSpan.FromMilliseconds(900);
            o.RetryCount = 1;
        });
        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.FromMilliseconds(60);
        }

        var resource = Names.Unique("min-validity");
        var error = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(resource, TimeSpan.FromSeconds(1)));

        Assert.Contains("validity", error.Message);
        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.Zero;
        }

        await bed.GoneEverywhereAsync(resource);
    }
}
