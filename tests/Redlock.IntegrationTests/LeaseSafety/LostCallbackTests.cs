using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>
/// Callbacks registered on <see cref="RedlockLease.LostToken"/> may throw; the engine's own paths carry on, and the token
/// says what <see cref="RedlockLease.IsLost"/> says from its first read (lease-safety defects 8 and 10).
/// </summary>
public class LostCallbackTests
{
    private static void Boom() => throw new InvalidOperationException("a user callback that throws");

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Extend_reports_a_lost_lock_as_RedlockLostException_even_when_a_callback_throws(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("throwing-extend");
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        lease.LostToken.Register(Boom);

        await bed.HeldEverywhereAsync(resource, lease.Token);
        await (await bed.NodeAsync(0)).KeyDeleteAsync(resource);
        await (await bed.NodeAsync(1)).KeyDeleteAsync(resource);

        await Assert.ThrowsAsync<RedlockLostException>(() => lease.ExtendAsync());
        Assert.True(lease.IsLost);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_expiry_timer_survives_a_throwing_callback(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        await using var lease = await engine.AcquireAsync(Names.Unique("throwing-timer"), TimeSpan.FromMilliseconds(200));
        var lost = lease.LostToken;
        lost.Register(Boom);

        // Unhandled on the timer thread, the exception would end the test process.
        await Eventually.TrueAsync(() => Task.FromResult(lost.IsCancellationRequested), because: "LostToken should fire when validity runs out");
        Assert.True(lease.IsLost);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_extender_survives_a_throwing_callback_and_release_still_deletes(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var engine = bed.Engine(o => o.NodeTimeout = TimeSpan.FromMilliseconds(100));
        var resource = Names.Unique("throwing-extender");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(3), new RedlockAcquireOptions { AutoExtend = true });
        var lost = lease.LostToken;
        lost.Register(Boom);

        // Two of three nodes stop answering: extensions go unconfirmed until validity runs out, and the extender marks the
        // lease lost, which runs the throwing callback on the extender's own loop.
        await bed.Nodes.Nodes[1].PauseAsync(PauseMode.Proxy);
        await bed.Nodes.Nodes[2].PauseAsync(PauseMode.Proxy);
        await Eventually.TrueAsync(() => Task.FromResult(lost.IsCancellationRequested), TimeSpan.FromSeconds(10), "the extender should presume the lock lost");

        // Node 0 kept granting the extensions, so its key outlives the lease; release must still send it the delete.
        Assert.Equal(lease.Token, (await bed.ValuesAsync(resource))[0]);
        await lease.ReleaseAsync();
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource))[0] is null, TimeSpan.FromSeconds(2), "release should delete the key on the node that answers");
        await bed.Nodes.Nodes[1].ResumeAsync();
        await bed.Nodes.Nodes[2].ResumeAsync();
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task LostToken_read_first_after_validity_ran_out_is_already_cancelled(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        await using var lease = await engine.AcquireAsync(Names.Unique("late-token"), TimeSpan.FromMilliseconds(100));

        await Eventually.TrueAsync(() => Task.FromResult(lease.IsLost), because: "validity should run out");

        Assert.True(lease.LostToken.IsCancellationRequested);
    }
}
