using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>
/// When every node is gone, the automatic extender retries ever sooner as the validity runs out, and must end by
/// declaring the lease lost (the operator's log line and metric), however late in the last retry the validity ends.
/// </summary>
public class ExtenderAtTheEndOfValidityTests
{
    private const int Lost = 3;
    private const int Leases = 16;

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lease_whose_validity_ends_between_two_readings_of_the_clock_is_still_declared_lost(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();
        var options = bed.Nodes.CreateRedlockOptions();
        await using var engine = new RedlockEngine(options, logs, new HastyClock(TimeSpan.FromMilliseconds(0.3)));
        var leases = new List<RedlockLease>();
        for (var i = 0; i < Leases; i++)
        {
            leases.Add(await engine.AcquireAsync(Names.Unique("extender-end"), TimeSpan.FromSeconds(1), new RedlockAcquireOptions { AutoExtend = true }));
        }

        foreach (var node in bed.Nodes.Nodes)
        {
            await node.KillAsync();
        }

        // Nobody reads LostToken, so only the extender can tell: each lease must be logged lost once, soon after its
        // validity ran out, and its release must not fail for it.
        await Eventually.TrueAsync(() => Task.FromResult(leases.All(l => l.IsLost)), TimeSpan.FromSeconds(15), "a lease never ran out of validity");
        await Eventually.TrueAsync(
            () => Task.FromResult(logs.WithEvent(Lost).Length >= Leases),
            TimeSpan.FromSeconds(15),
            () => $"{logs.WithEvent(Lost).Length} of {Leases} leases were declared lost: " + logs.Dump());
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        Assert.Equal(Leases, logs.WithEvent(Lost).Select(l => l.Values["Resource"]).Distinct().Count());
    }
}
