using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

/// <summary>Two engines in one container, each locking over its own nodes with its own quorum.</summary>
public class KeyedEnginesTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_keyed_engine_locks_over_its_own_nodes_and_the_plain_engine_over_its_own(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var provider = new ServiceCollection().AddSplitEngines(bed).BuildServiceProvider();
        var plain = provider.GetRequiredService<IRedlock>();
        var billing = provider.GetRequiredKeyedService<IRedlock>(SplitEngines.Key);
        var resource = Names.Unique("keyed");

        await using var billed = await billing.AcquireAsync(resource, TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource))[1..].All(v => v == billed.Token), TimeSpan.FromSeconds(5), "the billing lock is not on nodes 1 and 2");
        Assert.Null((await bed.ValuesAsync(resource))[0]);

        // The plain engine has its own node: the same resource is free there.
        await using var other = await plain.AcquireAsync(resource, TimeSpan.FromSeconds(30));
        Assert.Equal(other.Token, (await bed.ValuesAsync(resource))[0]);
        Assert.Equal(2, ((RedlockEngine)billing).Quorum);
        Assert.Equal(1, ((RedlockEngine)plain).Quorum);

        // And the billing nodes still exclude another engine over them (another process, say).
        var rival = bed.Engine(o =>
        {
            o.Nodes.Clear();
            o.Nodes.Add(bed.Nodes.ConnectionStrings[1]);
            o.Nodes.Add(bed.Nodes.ConnectionStrings[2]);
        });

        // Refused as busy, not for want of an answer: one attempt, which must find both nodes answering and the key taken
        // (after a first lock of its own, so that its connections are open and warm).
        await using (await rival.AcquireAsync(Names.Unique("warm"), TimeSpan.FromSeconds(1)))
        {
        }

        await Assert.ThrowsAsync<RedlockBusyException>(() => rival.AcquireAsync(resource, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { RetryCount = 0 }));
    }
}
