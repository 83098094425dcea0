using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Waiting;

/// <summary>
/// A fair waiter (<see cref="RedlockAcquireOptions.Fair"/>) is moved by its turn and not otherwise: a release hands it
/// the lock, so a contended fair acquisition costs two attempts (the first, and the one that records its ticket); a
/// waiter named without a hand-over tries once a quorum of nodes has named it, not at the first node's word; and a
/// release in its own process that named someone else does not wake it. The waiters here poll only every two minutes,
/// so every attempt they make is one a wake-up caused.
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
        await bed.HeldOnQuorumAsync(resource, theirLease.Token);
        await theirLease.ReleaseAsync();
        await using var ourLease = await ourWaiter.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, spans.Attempts.Length);
        Assert.True(spans.Attempts[^1] == 2, $"our waiter made {spans.Attempts[^1]} attempts, not 2: the release of our own holder, which named the other waiter, woke it");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_release_hands_the_lock_to_the_head_of_the_queue_with_no_attempt_of_its_own(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-hand-over");
        using var spans = new AcquireSpans(resource);
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);
        var waiting = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);

        await holder.ReleaseAsync();
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(spans.Attempts[^1] == 2, $"the waiter made {spans.Attempts[^1]} attempts, not 2: it had to try for a lock that was handed to it");
        await bed.HeldOnQuorumAsync(resource, lease.Token);

        // Handed over for no longer than an entry lives, then extended in the background to the TTL asked for.
        await Eventually.TrueAsync(() => Task.FromResult(lease.RemainingValidity > Ttl / 2), TimeSpan.FromSeconds(15), "the handed-over lease was not extended to its TTL");
        var values = await bed.DirectValuesAsync(resource);
        var extended = 0;
        for (var i = 0; i < 3; i++)
        {
            if (values[i] == lease.Token && (long)await (await bed.NodeAsync(i)).ExecuteAsync("PTTL", resource) > Ttl.TotalMilliseconds / 2)
            {
                extended++;
            }
        }

        Assert.True(extended >= 2, $"only {extended} node(s) keep the key for more than half its TTL");
        Assert.False(lease.IsLost);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_handed_over_lease_counts_its_validity_from_the_waiters_last_attempt_not_from_the_hand_over(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-hand-over-validity");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);

        // Polling every 20 s, so its last attempt before the release is the one that queued it; an 8 s TTL, within its
        // entry's life, so the hand-over sets the key for the whole TTL and no extension follows.
        var ttl = TimeSpan.FromSeconds(8);
        var waiting = bed.Engine().AcquireAsync(resource, ttl, new RedlockAcquireOptions
        {
            Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2), RetryDelay = TimeSpan.FromSeconds(20), RetryJitter = TimeSpan.Zero,
        });
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var queuedBy = DateTimeOffset.UtcNow;

        // The nodes set the key for the waiter 3 s later; all they know is that its last attempt came before.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await holder.ReleaseAsync();
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(lease.ValidUntil <= queuedBy + ttl,
            $"the lease believes itself valid {(lease.ValidUntil - (queuedBy + ttl)).TotalMilliseconds:0} ms past its last attempt's send time + TTL");
        Assert.True(lease.RemainingValidity > TimeSpan.Zero);
    }

    [RedisServerFact]
    public async Task A_waiter_handed_the_lock_leaves_the_queue_only_where_it_may_still_be_queued()
    {
        // Garnet keeps no per-command statistics.
        await using var bed = await LockBed.StartAsync(RedisBackend.RedisServer, 3);
        var resource = Names.Unique("fair-leave");
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);
        var waiting = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);

        var before = await CommandStats.TotalsAsync(bed);
        await holder.ReleaseAsync();
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        await bed.HeldOnQuorumAsync(resource, lease.Token);
        await Task.Delay(300);
        var after = await CommandStats.TotalsAsync(bed);

        // The release, one script per node, handed the lock over on each, which dropped the entry there; the waiter
        // claimed it from the first two, so at most the third is told to drop an entry. Telling all three makes it 6.
        long Scripts(Dictionary<string, long> stats) => stats.GetValueOrDefault("evalsha") + stats.GetValueOrDefault("eval");
        var scripts = Scripts(after) - Scripts(before);
        Assert.True(scripts is 3 or 4, $"{scripts} scripts ran");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, await (await bed.NodeAsync(i)).SortedSetLengthAsync("{" + resource + "}:redlock-queue"));
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_that_died_at_the_head_blocks_the_line_no_longer_than_its_entry_would_have(RedisBackend backend)
    {
        // The waiter that dies reaches the nodes through the fault proxies; everyone else goes direct.
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var resource = Names.Unique("fair-dead-head");
        var direct = bed.Engine(o =>
        {
            o.Nodes.Clear();
            foreach (var node in bed.Nodes.Nodes)
            {
                o.Nodes.Add(node.DirectConnectionString);
            }
        });
        var holder = await direct.AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);

        // Polling every 5 s, its entry lives 2 × 5 s + the 1 s node timeout = 11 s unrefreshed: that, not its 60 s TTL,
        // is what a hand-over may give it.
        var dying = bed.Engine().AcquireAsync(resource, TimeSpan.FromSeconds(60), new RedlockAcquireOptions
        {
            Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(5), RetryDelay = TimeSpan.FromSeconds(5), RetryJitter = TimeSpan.Zero,
        });
        _ = dying.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var survivor = bed.Engine(o =>
        {
            o.Nodes.Clear();
            foreach (var node in bed.Nodes.Nodes)
            {
                o.Nodes.Add(node.DirectConnectionString);
            }
        }).AcquireAsync(resource, Ttl, Fair);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2], needed: 3);

        // It dies (nothing reaches it or leaves it any more), and the release hands it the lock.
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.PauseAsync(PauseMode.Proxy);
        }

        await holder.ReleaseAsync();
        await Eventually.TrueAsync(
            async () => (await bed.DirectValuesAsync(resource)).All(v => v != holder.Token), TimeSpan.FromSeconds(15), "the release did not reach every node");

        // A quorum of nodes handed it the key (one may not have: its attempt may have outlasted the node timeout there
        // on a loaded machine, and its undo deleted the key), and none for longer than its entry lives.
        var values = await bed.DirectValuesAsync(resource);
        var handed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            if (!values[i].IsNull)
            {
                handed.Add((long)await (await bed.NodeAsync(i)).ExecuteAsync("PTTL", resource));
            }
        }

        Assert.True(handed.Count >= 2, $"only {handed.Count} node(s) handed the dead waiter the key");
        Assert.All(handed, pttl => Assert.True(pttl is > 0 and <= 11_000, $"a node handed the dead waiter the key for {pttl} ms; at most its entry's 11 s was expected"));
        Assert.False(survivor.IsCompleted, "the survivor took the lock while the dead waiter headed the queue");

        await using var lease = await survivor.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(resource, lease.Resource);
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.ResumeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_waiter_that_gives_up_after_a_hand_over_hands_the_lock_on_at_once(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, faultProxy: true);
        var resource = Names.Unique("fair-give-up");
        void Direct(RedlockOptions o)
        {
            o.Nodes.Clear();
            foreach (var node in bed.Nodes.Nodes)
            {
                o.Nodes.Add(node.DirectConnectionString);
            }
        }

        var holder = await bed.Engine(Direct).AcquireAsync(resource, Ttl, Fair);
        await bed.HeldEverywhereAsync(resource, holder.Token);

        // The first waiter, through the proxies, is cut off while a release hands it the lock, and gives up meanwhile.
        using var cancel = new CancellationTokenSource();
        var quitter = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling, cancel.Token);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var next = bed.Engine(Direct).AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2], needed: 3);
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.PauseAsync(PauseMode.Proxy);
        }

        await holder.ReleaseAsync();
        await Eventually.TrueAsync(
            async () => (await bed.DirectValuesAsync(resource)).All(v => !v.IsNull && v != holder.Token), TimeSpan.FromSeconds(15),
            "the release did not hand the lock to the first waiter on every node");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter.WaitAsync(TimeSpan.FromSeconds(15)));

        // Its leaving reaches the nodes: the key it was handed goes to the next waiter, which polls only every two minutes.
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.ResumeAsync();
        }

        await using var lease = await next.WaitAsync(TimeSpan.FromSeconds(30));
        await bed.HeldOnQuorumAsync(resource, lease.Token);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_hand_over_that_a_failed_attempt_undid_does_not_count_towards_a_quorum(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-undone-hand-over");
        var notes = "{" + resource + "}:redlock-queue-grant";
        await HeldByAStrangerAsync(bed, resource);

        var waiting = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var waiter = (string)(await (await bed.NodeAsync(0)).SortedSetRangeByRankAsync("{" + resource + "}:redlock-queue", 0, 0))[0]!;
        var note = ((string)(await (await bed.NodeAsync(0)).HashGetAsync(notes, waiter))!).Split('|');
        var (attempt, token) = (note[0], note[1]);
        var turnChannel = RedisChannel.Literal("redlock-aspects:turn:" + waiter[..waiter.IndexOf('.', StringComparison.Ordinal)]);

        // Node 0 hands the waiter the lock when the stranger lets go there (played by hand, as the release script does).
        async Task HandOverAsync(int node)
        {
            var db = await bed.NodeAsync(node);
            await db.StringSetAsync(resource, token, Ttl);
            await db.SortedSetRemoveAsync("{" + resource + "}:redlock-queue", waiter);
            await db.PublishAsync(turnChannel, $"g:{waiter} stranger {attempt} {(long)Ttl.TotalMilliseconds}");
        }

        await HandOverAsync(0);

        // A quorum of releases (not hand-overs) wakes it: its attempt takes node 0's key, is refused by 1 and 2, fails,
        // and its undo deletes node 0's key.
        await (await bed.NodeAsync(1)).PublishAsync(turnChannel, $"w:{waiter} someone-else");
        await (await bed.NodeAsync(2)).PublishAsync(turnChannel, $"w:{waiter} someone-else");
        await Eventually.TrueAsync(async () => !(await (await bed.NodeAsync(0)).KeyExistsAsync(resource)), TimeSpan.FromSeconds(15),
            "the failed attempt did not undo the key node 0 had handed over");

        // Node 1's hand-over of the same release, quoting the same attempt, arrives now: with node 0's, that would be
        // two of three, but node 0's was undone. It may wake the waiter to try (node 0 is free again and the waiter heads
        // its queue, so an attempt wins), but whatever lease it returns must be held on a quorum.
        await HandOverAsync(1);
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        var holders = await bed.HoldersAsync(resource, lease.Token);
        Assert.True(holders >= 2, $"the waiter believes it holds a lock that {holders} of 3 nodes hold for it");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_hand_over_that_a_failed_attempt_undid_goes_to_the_next_in_line_on_that_node(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-undo-hands-on");
        var queue = "{" + resource + "}:redlock-queue";
        var notes = "{" + resource + "}:redlock-queue-grant";
        await HeldByAStrangerAsync(bed, resource);

        // Two waiters in different engines, queued first and second on every node.
        using var stop = new CancellationTokenSource();
        var first = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling, stop.Token);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 1, [0, 1, 2], needed: 3);
        var second = bed.Engine().AcquireAsync(resource, Ttl, FairSlowPolling, stop.Token);
        await FairQueueTests.QueuedOnQuorumAsync(bed, resource, 2, [0, 1, 2], needed: 3);
        var node0 = await bed.NodeAsync(0);
        var firstWaiter = (string)(await node0.SortedSetRangeByRankAsync(queue, 0, 0))[0]!;
        var secondWaiter = (string)(await node0.SortedSetRangeByRankAsync(queue, 1, 1))[0]!;
        var firstNote = ((string)(await node0.HashGetAsync(notes, firstWaiter))!).Split('|');
        var secondToken = ((string)(await node0.HashGetAsync(notes, secondWaiter))!).Split('|')[1];
        var turnChannel = RedisChannel.Literal("redlock-aspects:turn:" + firstWaiter[..firstWaiter.IndexOf('.', StringComparison.Ordinal)]);

        // Node 0 hands the first waiter the lock (played by hand, as the release script does); a quorum of releases that
        // name it without handing over wakes it, its attempt takes node 0's key, is refused by 1 and 2, and fails.
        await node0.StringSetAsync(resource, firstNote[1], Ttl);
        await node0.SortedSetRemoveAsync(queue, firstWaiter);
        await node0.PublishAsync(turnChannel, $"g:{firstWaiter} stranger {firstNote[0]} {(long)Ttl.TotalMilliseconds}");
        await (await bed.NodeAsync(1)).PublishAsync(turnChannel, $"w:{firstWaiter} someone-else");
        await (await bed.NodeAsync(2)).PublishAsync(turnChannel, $"w:{firstWaiter} someone-else");

        // Its undo deletes node 0's key and, as a release would, hands it to the next in node 0's line at once, not at
        // that line's next release or poll (two minutes away here).
        string? holder = null;
        await Eventually.TrueAsync(
            async () => (holder = await node0.StringGetAsync(resource)) == secondToken,
            TimeSpan.FromSeconds(15),
            () => $"node 0 holds {holder ?? "nothing"} after the undo, not the second waiter's token {secondToken}");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_turn_named_by_one_node_waits_for_a_quorum_to_name_it(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var resource = Names.Unique("fair-turn-quorum");
        using var spans = new AcquireSpans(resource);

        // Held by a stranger on every node; the releases below are played by hand, one node at a time, naming the waiter
        // without handing it the key (as a node does for a waiter of an older version, which leaves no hand-over note).
        await HeldByAStrangerAsync(bed, resource);

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

    /// <summary>Sets <paramref name="resource"/> on every node for a client that is not ours, as a holder that will not release.</summary>
    private static async Task HeldByAStrangerAsync(LockBed bed, string resource)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await (await bed.NodeAsync(i)).StringSetAsync(resource, "stranger", Ttl, When.NotExists));
        }
    }
}
