using System.Diagnostics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>Construction never waits on a node; a frozen node joins when it answers (lease-safety defect 7).</summary>
public class ConstructionTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_constructor_does_not_wait_for_frozen_nodes(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: backend == RedisBackend.Garnet);
        var mode = backend == RedisBackend.Garnet ? PauseMode.Proxy : PauseMode.Signal;
        await bed.Nodes.Nodes[1].PauseAsync(mode);
        await bed.Nodes.Nodes[2].PauseAsync(mode);

        // Connecting synchronously took the 5 s connect timeout three times per frozen node (30 s here).
        var clock = Stopwatch.StartNew();
        var engine = bed.Engine();
        var took = clock.Elapsed;
        Assert.True(took < TimeSpan.FromSeconds(5), $"the constructor took {took.TotalMilliseconds:0} ms");

        await bed.Nodes.Nodes[1].ResumeAsync();
        await bed.Nodes.Nodes[2].ResumeAsync();
        await using var lease = await engine.AcquireAsync(Names.Unique("frozen-start"), TimeSpan.FromSeconds(5),
            new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromSeconds(30) });
        Assert.False(lease.IsLost);
    }
}
