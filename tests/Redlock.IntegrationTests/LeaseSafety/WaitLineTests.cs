using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.LeaseSafety;

/// <summary>The in-process wait line is per key: a waiter is not stuck behind one that waits for another key (lease-safety defect 9).</summary>
public class WaitLineTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_for_K_is_not_blocked_behind_a_waiter_for_K_and_L_while_L_is_held_elsewhere(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var elsewhere = bed.Engine();
        var engine = bed.Engine();
        var k = Names.Unique("k");
        var l = Names.Unique("l");
        await using var holdL = await elsewhere.AcquireAsync(l, TimeSpan.FromSeconds(30));

        var both = engine.AcquireAsync([k, l], TimeSpan.FromSeconds(5), new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromSeconds(6) });
        await Task.Delay(300);
        Assert.False(both.IsCompleted);

        await using var justK = await engine.AcquireAsync(k, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromSeconds(5) });

        Assert.Equal(k, justK.Resource);
        await justK.ReleaseAsync();
        await holdL.ReleaseAsync();
        await using var bothLease = await both;
        Assert.Equal([k, l], bothLease.Resources);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Waiters_on_one_key_in_one_process_are_served_in_arrival_order(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("order");
        var holder = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10));
        var order = new List<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            var id = i;
            waiters.Add(Task.Run(async () =>
            {
                await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(10), new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromSeconds(20) });
                lock (order)
                {
                    order.Add(id);
                }
            }));

            // Each waiter has joined the line before the next one starts.
            await Task.Delay(150);
        }

        await holder.ReleaseAsync();
        await Task.WhenAll(waiters);

        Assert.Equal([0, 1, 2, 3], order);
    }
}
