using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Waiting;

/// <summary>
/// A fair waiter (<see cref="RedlockAcquireOptions.Fair"/>) tries when its turn has come and not otherwise: once a quorum
/// of nodes has named it, not at the first node's word, and not when a release in its own process named someone else. A
/// contended fair acquisition then costs three attempts: the first, the one that records its ticket, and the one its turn
/// wakes. The waiters here poll only every two minutes, so every attempt they make is one a wake-up caused.
/// </summary>
public class FairTurnWakeTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private static readonly RedlockAcquireOptions Fair = new() { Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(1) };

    private static readonly RedlockAcquireOptions FairSlowPolling = new()
    {
        Fair = true,
        RetryCount = -1,
        MaxWait = TimeSpan.FromMinutes(5),
        RetryDelay = TimeSpan.FromMinutes(2),
        RetryJitter = TimeSpan.Zero,
    };

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_release_in_the_waiters_own_process_that_names_another_head_does_not_wake_it(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-own-process");
        using var spans = new AcquireSpans(resource);
        var ours = bed.Engine();
        // Taken in a flow of its own: in this one, our waiter below would be a nested (reentrant) call of the holder.
        var holder = await Task.Run(() => ours.AcquireAsync(resource, Ttl, Fair));
        await bed.HeldEverywhereAsync(resource, holder.Token);

        // Another process's waiter heads the queue; ours is second, in the holder's own engine.
        var theirs = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var ourWaiter = ours.AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2], needed: 3);

        await holder.ReleaseAsync();
        var theirLease = await theirs.WaitAsync(TimeSpan.FromSeconds(30));
        await bed.HeldEverywhereAsync(resource, theirLease.Token);
        await theirLease.ReleaseAsync();
        await using var ourLease = await ourWaiter.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, spans.Attempts.Length);
        Assert.True(spans.Attempts[^1] == 3, $"our waiter made {spans.Attempts[^1]} attempts, not 3: the release of our own holder, which named the other waiter, woke it");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_turn_named_by_one_node_waits_for_a_quorum_to_name_it(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-turn-quorum");
        using var spans = new AcquireSpans(resource);

        // Held by a stranger on every node; the releases below are played by hand, one node at a time.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await (await bed.NodeAsync(i)).StringSetAsync(resource, "stranger", Ttl, When.NotExists));
        }

        var waiting = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var waiter = (string)(await (await bed.NodeAsync(0)).SortedSetRangeByRankAsync("{" + resource + "}:redlock-queue", 0, 0))[0]!;
        var turnChannel = RedisChannel.Literal("redlock-aspects:turn:" + waiter[..waiter.IndexOf('.', StringComparison.Ordinal)]);
        var turn = "w:" + waiter + " stranger";

        // Node 0 alone has let go and names the waiter: the key is still held on a quorum, so an attempt now is wasted.
        await (await bed.NodeAsync(0)).KeyDeleteAsync(resource);
        await (await bed.NodeAsync(0)).PublishAsync(turnChannel, turn);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);

        // The others let go, and node 1 names it too: a quorum has, and the waiter takes the lock long before its poll.
        await (await bed.NodeAsync(1)).KeyDeleteAsync(resource);
        await (await bed.NodeAsync(2)).KeyDeleteAsync(resource);
        await (await bed.NodeAsync(1)).PublishAsync(turnChannel, turn);
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(spans.Attempts.Single() == 3, $"the waiter made {spans.Attempts.Single()} attempts, not 3: one node's word woke it");
    }
}
