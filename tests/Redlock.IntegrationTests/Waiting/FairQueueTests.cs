using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Waiting;

/// <summary>
/// <see cref="RedlockAcquireOptions.Fair"/>: waiters in different engines (own connections, no shared process state) are
/// served in the order they joined the nodes' queue; an entry left by a waiter that died holds the line only until it
/// expires; and the order survives a node's death. "Joined" is observed on the nodes (the queue's size on a quorum), so
/// the order under test is the one the nodes recorded, not one a loaded machine's scheduler might shuffle.
/// </summary>
public class FairQueueTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private static readonly RedlockAcquireOptions Fair = new()
    {
        Fair = true,
        RetryCount = -1,
        MaxWait = TimeSpan.FromMinutes(2),
        RetryDelay = TimeSpan.FromMilliseconds(200),
        RetryJitter = TimeSpan.Zero,
    };

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Waiters_in_different_engines_are_served_in_the_order_they_joined_the_queue(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);

        var order = await QueueAndReleaseAsync(bed, resource, holder, waiters: 4);

        Assert.Equal([0, 1, 2, 3], order);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_fair_release_tells_only_the_engine_whose_waiter_heads_the_queue(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-turn");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);

        // Node 0 is the one watched: it must hold each lock and list each waiter before a release, or it has nobody to name.
        await bed.HeldEverywhereAsync(resource, holder.Token);

        // What node 0 publishes: on the key's wake channel (every waiter of the key listens there) and on turn channels.
        var subscriber = (await bed.NodeAsync(0)).Multiplexer.GetSubscriber();
        var onKeyChannel = new List<string>();
        var onTurnChannels = new List<(string Channel, string Message)>();
        await subscriber.SubscribeAsync(RedisChannel.Literal(resource + ":redlock-wake"), (_, m) => { lock (onKeyChannel) { onKeyChannel.Add(m!); } });
        await subscriber.SubscribeAsync(RedisChannel.Pattern("redlock-aspects:turn:*"), (c, m) => { lock (onTurnChannels) { onTurnChannels.Add((c!, m!)); } });

        // Waiters that poll only every 30 s: taking the lock within seconds of a release takes a wake-up.
        var slowPolling = new RedlockAcquireOptions { Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2), RetryDelay = TimeSpan.FromSeconds(30), RetryJitter = TimeSpan.Zero };
        var first = bed.Engine().AcquireAsync(resource, Ttl, slowPolling);
        await QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var second = bed.Engine().AcquireAsync(resource, Ttl, slowPolling);
        await QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2], needed: 3);

        await holder.ReleaseAsync();
        var firstLease = await first.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(second.IsCompleted, "the second waiter was served before the first");
        await bed.HeldOnQuorumAsync(resource, firstLease.Token);
        await firstLease.ReleaseAsync();
        await using var secondLease = await second.WaitAsync(TimeSpan.FromSeconds(15));

        // Each release handed the lock to the head on that head's engine's channel alone, and said nothing on the key's channel.
        await Eventually.TrueAsync(() => Task.FromResult(Count(onTurnChannels) >= 2), TimeSpan.FromSeconds(10), "node 0 published fewer than two turns");
        (string Channel, string Message)[] turns;
        lock (onTurnChannels)
        {
            turns = [.. onTurnChannels];
        }

        Assert.Equal(2, turns.Length);
        Assert.NotEqual(turns[0].Channel, turns[1].Channel);
        Assert.All(turns, t => Assert.StartsWith("g:" + t.Channel["redlock-aspects:turn:".Length..] + ".", t.Message));
        lock (onKeyChannel)
        {
            Assert.Empty(onKeyChannel);
        }

        await subscriber.UnsubscribeAllAsync();
    }

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    [RedisServerFact]
    public async Task A_refused_newcomer_joins_the_queue_with_the_ticket_its_refusal_gave_it()
    {
        // Garnet keeps no per-command statistics.
        await using var bed = await LockBed.StartAsync(RedisBackend.RedisServer, 3);
        var resource = Names.Unique("fair-ticket");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);
        var waiterEngine = bed.Engine();
        await using (await waiterEngine.AcquireAsync(Names.Unique("warm-up"), Ttl))
        {
        }

        // Its release's last deletes may land a moment after it returns.
        await Task.Delay(200);

        var before = await CommandStats.TotalsAsync(bed);
        var waiting = waiterEngine.AcquireAsync(resource, Ttl, new RedlockAcquireOptions
        {
            Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2), RetryDelay = TimeSpan.FromMinutes(1), RetryJitter = TimeSpan.Zero,
        });
        await QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var after = await CommandStats.TotalsAsync(bed);

        // Per node: the first attempt, refused, which took the ticket too; then the attempt that records the entry. The
        // first attempt was decided by two refusals, so the third node's answer was not awaited and it may get an undo.
        // A ticket round trip of its own would make it 9 or 10.
        long Scripts(Dictionary<string, long> stats) => stats.GetValueOrDefault("evalsha") + stats.GetValueOrDefault("eval");
        var scripts = Scripts(after) - Scripts(before);
        Assert.True(scripts is 6 or 7, $"{scripts} scripts ran: " + string.Join(", ", after.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => $"{kv.Key} {kv.Value - before.GetValueOrDefault(kv.Key)}")));
        for (var i = 0; i < 3; i++)
        {
            var db = await bed.NodeAsync(i);
            var queued = await db.SortedSetRangeByRankWithScoresAsync("{" + resource + "}:redlock-queue");
            Assert.Equal((double)(long)await db.StringGetAsync("{" + resource + "}:redlock-ticket"), Assert.Single(queued).Score);
        }

        await holder.ReleaseAsync();
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_order_holds_with_a_node_killed(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-killed");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);
        await bed.Nodes.Nodes[2].KillAsync();

        var order = await QueueAndReleaseAsync(bed, resource, holder, waiters: 3, liveNodes: [0, 1]);

        Assert.Equal([0, 1, 2], order);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_dead_waiters_entry_holds_the_line_only_until_it_expires(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-dead");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);

        // What a process killed while waiting leaves behind: an entry at the head of every node's queue that nobody
        // refreshes, dying 6 s from now by the node's own clock.
        await PlantGhostAsync(bed, resource, TimeSpan.FromSeconds(6));

        var waiting = bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2]);
        await holder.ReleaseAsync();

        // The ghost is ahead: the free lock is not handed to the live waiter behind it while the entry lives...
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted, "a waiter behind a live entry took the lock out of turn");

        // ...and once it expires, the line moves on.
        await using var lease = await waiting;
        Assert.Equal(resource, lease.Resource);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_node_redlock_client_may_barge_past_the_queue_but_excludes_fair_waiters_and_is_excluded_by_them(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-barge");

        // A waiter queued behind an entry that does not move: the key is free, and the queue is not.
        await PlantGhostAsync(bed, resource, TimeSpan.FromSeconds(60));
        var waiting = bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2]);

        // Node redlock knows no queue: its SET NX takes the free key on every node.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await (await bed.NodeAsync(i)).StringSetAsync(resource, "node-redlock", Ttl, When.NotExists));
        }

        // The line is clear now, but node redlock holds the key: the fair waiter is excluded.
        for (var i = 0; i < 3; i++)
        {
            await (await bed.NodeAsync(i)).SortedSetRemoveAsync("{" + resource + "}:redlock-queue", "ghost");
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted, "a fair waiter was granted a lock that node redlock holds");

        for (var i = 0; i < 3; i++)
        {
            await (await bed.NodeAsync(i)).ScriptEvaluateAsync(
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", [(RedisKey)resource], ["node-redlock"]);
        }

        await using var lease = await waiting;
        await bed.HeldEverywhereAsync(resource, lease.Token);

        // And the fair holder excludes node redlock.
        for (var i = 0; i < 3; i++)
        {
            Assert.False(await (await bed.NodeAsync(i)).StringSetAsync(resource, "node-redlock", Ttl, When.NotExists));
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Fair_with_several_resources_or_fencing_is_refused_naming_the_option(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();

        var several = await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync([Names.Unique("a"), Names.Unique("b")], Ttl, Fair));
        var fenced = await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync(Names.Unique("c"), Ttl, new RedlockAcquireOptions { Fair = true, Fencing = true }));

        Assert.Contains("RedlockAcquireOptions.Fair", several.Message);
        Assert.Contains("Fencing = True", fenced.Message);
    }

    /// <summary>Puts an entry with ticket 1 (ahead of anyone) at the head of every node's queue, expiring after <paramref name="life"/> by the node's clock.</summary>
    private static async Task PlantGhostAsync(LockBed bed, string resource, TimeSpan life)
    {
        for (var i = 0; i < 3; i++)
        {
            var node = await bed.NodeAsync(i);
            var time = (RedisResult[])(await node.ExecuteAsync("TIME"))!;
            var nowMs = long.Parse((string)time[0]!) * 1000 + long.Parse((string)time[1]!) / 1000;
            await node.SortedSetAddAsync("{" + resource + "}:redlock-queue", "ghost", 1);
            await node.SortedSetAddAsync("{" + resource + "}:redlock-queue-expiry", "ghost", nowMs + (long)life.TotalMilliseconds);
            await node.KeyExpireAsync("{" + resource + "}:redlock-queue", TimeSpan.FromMinutes(2));
            await node.KeyExpireAsync("{" + resource + "}:redlock-queue-expiry", TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>Starts <paramref name="waiters"/> fair waiters, each in its own engine, one after the other once the previous one is queued; releases the holder; returns the order they got the lock in.</summary>
    private static async Task<int[]> QueueAndReleaseAsync(LockBed bed, string resource, RedlockLease holder, int waiters, int[]? liveNodes = null)
    {
        liveNodes ??= [0, 1, 2];
        var order = new List<int>();
        var tasks = new List<Task>();
        for (var i = 0; i < waiters; i++)
        {
            var id = i;
            var engine = bed.Engine();
            tasks.Add(Task.Run(async () =>
            {
                await using var lease = await engine.AcquireAsync(resource, Ttl, Fair);
                lock (order)
                {
                    order.Add(id);
                }

                // Hold a moment, so the next in line is certainly waiting on a held lock when this one lets go.
                await Task.Delay(100);
            }));

            await QueuedOnQuorumAsync(bed, resource, i + 1, liveNodes);
        }

        await holder.ReleaseAsync();
        await Task.WhenAll(tasks);
        return [.. order];
    }

    /// <summary>Waits until <paramref name="needed"/> of the live nodes (a quorum by default) list at least <paramref name="count"/> waiters in the resource's queue.</summary>
    internal static Task QueuedOnQuorumAsync(LockBed bed, string resource, int count, int[] liveNodes, int needed = 2) =>
        Eventually.TrueAsync(
            async () =>
            {
                var queued = 0;
                foreach (var i in liveNodes)
                {
                    queued += await (await bed.NodeAsync(i)).SortedSetLengthAsync("{" + resource + "}:redlock-queue") >= count ? 1 : 0;
                }

                return queued >= needed;
            },
            TimeSpan.FromSeconds(30),
            $"{count} waiter(s) never showed in the queue on {needed} nodes");
}
