using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>No key is ever written without an expiry, with or without a minimum hold (lease-safety defect 4).</summary>
public class MinHoldExpiryTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_min_hold_key_keeps_a_positive_ttl_while_held_and_after_release(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("min-hold");
        var minHold = TimeSpan.FromSeconds(10);
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { MinHold = minHold });
        // The acquisition returns at a quorum; the last node's SET may still be on its way.
        await bed.HeldEverywhereAsync(resource, lease.Token);

        await AssertEveryNodeHasExpiry(bed, resource, minHold);
        await lease.ReleaseAsync();
        await AssertEveryNodeHasExpiry(bed, resource, minHold);
    }

    private static async Task AssertEveryNodeHasExpiry(LockBed bed, string key, TimeSpan atMost)
    {
        for (var i = 0; i < bed.Nodes.Nodes.Count; i++)
        {
            // Raw PTTL tells a key without expiry (-1) from a missing key (-2).
            var pttl = (long)(await (await bed.NodeAsync(i)).ExecuteAsync("PTTL", key));
            Assert.True(pttl > 0 && pttl <= atMost.TotalMilliseconds, $"node {i}: PTTL {pttl}");
        }
    }
}
