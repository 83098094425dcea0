using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class ValidityTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lock_that_expired_on_arrival_is_rejected_and_undone(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var engine = bed.Engine(o =>
        {
            o.RetryCount = 0;
            o.NodeTimeout = TimeSpan.FromSeconds(2);
        });

        // Every node answers, but only after 2 × 40 ms: by then a 50 ms lock has no validity left.
        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.FromMilliseconds(40);
        }

        var resource = Names.Unique("slow");
        var error = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync(resource, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("validity", error.Message);
        Assert.True(error.Nodes.Count(n => n.State == RedlockNodeState.Acquired) >= 2, string.Join("; ", error.Nodes));
        Assert.All(error.Nodes, n => Assert.Contains(n.State, new[] { RedlockNodeState.Acquired, RedlockNodeState.Pending }));

        // The same nodes, fast again, grant a lock with plenty of validity.
        foreach (var node in bed.Nodes.Nodes)
        {
            node.Latency = TimeSpan.Zero;
        }

        await using var lease = await engine.AcquireAsync(Names.Unique("fast"), TimeSpan.FromSeconds(5));
        Assert.True(lease.RemainingValidity > TimeSpan.FromSeconds(4));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Validity_allows_for_drift(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.DriftFactor = 0.2);

        await using var lease = await engine.AcquireAsync(Names.Unique("drift"), TimeSpan.FromSeconds(10));

        // drift = 10 s × 0.2 + 2 ms, so at most 7.998 s is left.
        Assert.InRange(lease.RemainingValidity, TimeSpan.FromSeconds(7), TimeSpan.FromMilliseconds(7998));
    }
}
