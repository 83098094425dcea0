using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Aspects;

/// <summary>
/// Nested locked calls (issue 12): reentrancy within one async flow, through the generated wrappers and through the
/// engine; ownership that ends with the lease; partial overlaps; inversions; and errors that name the real owner.
/// </summary>
public class NestedCallTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly RedlockAcquireOptions OneAttempt = new() { MaxWait = TimeSpan.Zero, RetryCount = 0 };

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_nested_same_key_call_through_aspects_shares_the_lease_and_sends_no_commands(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var counter = await CommandCounter.StartAsync(bed.Nodes);
        var accounts = new Accounts(bed.Engine(o => Profiled(o, counter)));

        await accounts.DebitAsync("warm-up", 1); // the first call may load scripts
        var alone = await counter.CountAsync(() => accounts.DebitAsync("a", 1));
        var nested = await counter.CountAsync(() => accounts.TransferAsync("a", "b", 1));

        Assert.All(alone, commands => Assert.NotEmpty(commands));
        Assert.Equal(alone.Select(c => c.Length), nested.Select(c => c.Length)); // the nested acquire and release added nothing
        Assert.Same(accounts.OuterLease, accounts.InnerLease);
        Assert.Equal(2, accounts.InnerHoldCount);
        Assert.Equal(1, accounts.OuterHoldCountAfterInner);
        Assert.True(accounts.OuterLease!.IsReleased);
        await bed.GoneEverywhereAsync("acct:a");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_issue_example_with_default_settings_runs_at_once_instead_of_waiting_for_itself(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var accounts = new Accounts(bed.Engine());

        await accounts.TransferDefaultAsync("a", "b", 5);

        Assert.Same(accounts.OuterLease, accounts.InnerLease);
        Assert.Equal(2, accounts.InnerHoldCount);
        await bed.GoneEverywhereAsync("acct:a");
        await bed.GoneEverywhereAsync("acct:b");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_nested_engine_acquire_returns_the_same_lease_without_commands_and_only_the_outer_release_frees_it(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var counter = await CommandCounter.StartAsync(bed.Nodes);
        var engine = bed.Engine(o => Profiled(o, counter));
        var key = Names.Unique("nested");

        var outer = await engine.AcquireAsync(key, Ttl);
        RedlockLease? inner = null;
        RedlockLease? innerTry = null;
        await bed.HeldEverywhereAsync(key, outer.Token); // a late SET on the last node would count as a command
        var before = await ServerLockCommandsAsync(bed);
        var counts = await counter.CountAsync(async () =>
        {
            inner = await engine.AcquireAsync(key, Ttl);
            innerTry = await engine.TryAcquireAsync(key, Ttl, OneAttempt);
            Assert.Equal(3, outer.HoldCount);
            await innerTry!.DisposeAsync();
            await inner.DisposeAsync();
        });
        var after = await ServerLockCommandsAsync(bed);

        Assert.All(counts, Assert.Empty);
        Assert.Equal(before, after); // the nodes' own count agrees (redis-server; Garnet keeps no per-command stats here)
        Assert.Same(outer, inner);
        Assert.Same(outer, innerTry);
        Assert.Equal(outer.Token, inner!.Token);
        Assert.Equal(outer.LostToken, inner.LostToken);
        Assert.False(outer.IsReleased);
        Assert.Equal(1, outer.HoldCount);
        Assert.True(await bed.HoldersAsync(key, outer.Token) >= 2, "the nested release freed the outer holder's lock");

        await outer.DisposeAsync();
        Assert.True(outer.IsReleased);
        await bed.GoneEverywhereAsync(key);
        await outer.DisposeAsync(); // still idempotent once released
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Work_that_outlives_the_body_does_not_hold_the_lock_after_the_outer_release(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var accounts = new Accounts(bed.Engine());
        var stranger = bed.Engine(); // another process
        var go = new TaskCompletionSource();

        await accounts.StartBackgroundDebitAsync("c", go.Task);
        Assert.True(accounts.OuterLease!.IsReleased);
        await using (var held = await stranger.AcquireAsync("acct:c", Ttl))
        {
            go.SetResult();

            // The background flow still carries the body's snapshot, but the lease in it is released: it goes to Redis.
            var busy = await Assert.ThrowsAsync<RedlockBusyException>(() => accounts.Background!);
            Assert.False(busy.HeldByCurrentFlow);
            Assert.Empty(busy.AlsoHolding);
            Assert.Contains("held by another owner", busy.Message);
            Assert.Null(accounts.InnerLease);
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_child_flow_started_while_holding_gets_a_fresh_lease_from_Redis_once_the_parent_released(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var key = Names.Unique("child");
        var go = new TaskCompletionSource();
        Task<RedlockLease> child;
        string outerToken;

        await using (var outer = await engine.AcquireAsync(key, Ttl))
        {
            outerToken = outer.Token;
            child = Task.Run(async () =>
            {
                await go.Task;
                return await engine.AcquireAsync(key, Ttl, OneAttempt);
            });
        }

        go.SetResult();
        await using var fresh = await child;
        Assert.NotEqual(outerToken, fresh.Token);
        Assert.Equal(1, fresh.HoldCount);
        Assert.True(await bed.HoldersAsync(key, fresh.Token) >= 2);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Locks_taken_in_a_child_flow_do_not_leak_into_the_parent(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var key = Names.Unique("leak");

        await using var childLease = await Task.Run(() => engine.AcquireAsync(key, Ttl));

        Assert.Null(await engine.TryAcquireAsync(key, Ttl, OneAttempt));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lost_lease_is_not_handed_out_again(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var key = Names.Unique("lost");

        await using var outer = await engine.AcquireAsync(key, TimeSpan.FromMilliseconds(200));
        await Eventually.TrueAsync(() => Task.FromResult(outer.IsLost), TimeSpan.FromSeconds(10), "the lease never ran out of validity");
        await bed.GoneEverywhereAsync(key);

        await using var again = await engine.AcquireAsync(key, Ttl, OneAttempt);
        Assert.NotSame(outer, again);
        Assert.NotEqual(outer.Token, again.Token);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Another_engine_is_another_owner(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var first = bed.Engine();
        var second = bed.Engine();
        var key = Names.Unique("engines");

        await using var held = await first.AcquireAsync(key, Ttl);

        Assert.Null(await second.TryAcquireAsync(key, Ttl, OneAttempt));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Reentrancy_off_waits_as_before_and_says_the_lock_is_held_by_this_flow(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var accounts = new Accounts(bed.Engine());

        var busy = await Assert.ThrowsAsync<RedlockBusyException>(() => accounts.TransferStrictAsync("d", "e", 1));

        Assert.True(busy.HeldByCurrentFlow);
        Assert.Equal(["acct:d"], busy.AlsoHolding);
        Assert.True(busy.Attempts > 1, $"it did not wait: {busy.Attempts} attempt(s)");
        Assert.Contains("held by this same async flow", busy.Message);
        Assert.Contains("reentrancy is off", busy.Message);
        Assert.DoesNotContain("another owner", busy.Message);
        await bed.GoneEverywhereAsync("acct:d");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Reentrancy_off_through_the_engine_gives_the_same_message(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var key = Names.Unique("strict");

        await using var outer = await engine.AcquireAsync(key, Ttl);
        var strict = new RedlockAcquireOptions { Reentrant = false, MaxWait = TimeSpan.FromMilliseconds(300), RetryCount = -1 };
        var busy = await Assert.ThrowsAsync<RedlockBusyException>(() => engine.AcquireAsync(key, Ttl, strict));
        Assert.Null(await engine.TryAcquireAsync(key, Ttl, new RedlockAcquireOptions { Reentrant = false, MaxWait = TimeSpan.Zero }));

        Assert.True(busy.HeldByCurrentFlow);
        Assert.Contains($"'{key}' is held by this same async flow", busy.Message);
        Assert.Equal(1, outer.HoldCount);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_partial_overlap_is_refused_at_once_naming_the_held_resources(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var counter = await CommandCounter.StartAsync(bed.Nodes);
        var engine = bed.Engine(o => Profiled(o, counter));
        var a = Names.Unique("a");
        var b = Names.Unique("b");
        var c = Names.Unique("c");

        await using var held = await engine.AcquireAsync(a, Ttl);
        RedlockOverlapException? refused = null;
        var counts = await counter.CountAsync(async () =>
        {
            refused = await Assert.ThrowsAsync<RedlockOverlapException>(() => engine.AcquireAsync([a, b], Ttl));
            await Assert.ThrowsAsync<RedlockOverlapException>(() => engine.TryAcquireAsync([b, a], Ttl));
        });

        Assert.All(counts, Assert.Empty);
        Assert.Equal([a], refused!.HeldByCurrentFlow);
        Assert.Equal([a, b], refused.Resources);
        Assert.Contains($"'{a}'", refused.Message);
        Assert.Equal(1, held.HoldCount);

        // A lease over several resources covers a nested request for any of them, in any order.
        await using var both = await engine.AcquireAsync([b, c], Ttl);
        Assert.Same(both, await engine.AcquireAsync(c, Ttl));
        Assert.Same(both, await engine.AcquireAsync([c, b], Ttl));
        Assert.Equal(3, both.HoldCount);
        await both.ReleaseAsync();
        await both.ReleaseAsync();
        Assert.False(both.IsReleased);

        // Held through two different leases: no one lease covers it, so it is refused too.
        await Assert.ThrowsAsync<RedlockOverlapException>(() => engine.AcquireAsync([a, b], Ttl));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lock_order_inversion_across_two_engines_ends_typed_within_the_wait_budget_naming_both_resources(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engines = new[] { bed.Engine(), bed.Engine() }; // two "processes"
        var a = Names.Unique("inv-a");
        var b = Names.Unique("inv-b");
        var budget = new RedlockAcquireOptions { MaxWait = TimeSpan.FromMilliseconds(500), RetryCount = -1 };
        var bothHolding = new AsyncMeeting(2);
        var bothGaveUp = new AsyncMeeting(2);

        async Task<RedlockBusyException> Flow(RedlockEngine engine, string first, string second)
        {
            await using var holding = await engine.AcquireAsync(first, Ttl);
            await bothHolding.ArriveAsync();
            var waited = await Record.ExceptionAsync(() => engine.AcquireAsync(second, Ttl, budget));

            // Keep holding until the other flow has given up too, or its last retry could find this lock free.
            await bothGaveUp.ArriveAsync();
            return Assert.IsType<RedlockBusyException>(waited);
        }

        var results = await Task.WhenAll(
            Task.Run(() => Flow(engines[0], a, b)),
            Task.Run(() => Flow(engines[1], b, a))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal([b], results[0].Resources);
        Assert.Equal([a], results[0].AlsoHolding);
        Assert.Equal([a], results[1].Resources);
        Assert.Equal([b], results[1].AlsoHolding);
        foreach (var (busy, waitedFor, holding) in new[] { (results[0], b, a), (results[1], a, b) })
        {
            Assert.False(busy.HeldByCurrentFlow);
            Assert.Contains($"'{waitedFor}' is held by another owner", busy.Message);
            Assert.Contains($"this async flow holds '{holding}'", busy.Message);
            Assert.Contains("lock-order inversion", busy.Message);
        }

        await bed.GoneEverywhereAsync(a);
        await bed.GoneEverywhereAsync(b);
    }

    /// <summary>Waits, without blocking a thread, until <c>count</c> parties have arrived.</summary>
    private sealed class AsyncMeeting(int count)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) == count)
            {
                _all.TrySetResult();
            }

            return _all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>
    /// Per node, the calls of every command except the ones an admin connection makes to look (INFO, PING…) and the
    /// script loading an engine does once per connection, from
    /// INFO commandstats; empty where the backend does not report them.
    /// </summary>
    private static async Task<long[]> ServerLockCommandsAsync(LockBed bed)
    {
        if (bed.Nodes.Backend != RedisBackend.RedisServer)
        {
            return [];
        }

        var totals = new long[bed.Nodes.Nodes.Count];
        for (var i = 0; i < totals.Length; i++)
        {
            var info = (string?)await (await bed.NodeAsync(i)).ExecuteAsync("INFO", "commandstats") ?? string.Empty;
            foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
            {
                // cmdstat_set:calls=3,usec=...
                if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                {
                    var command = line[8..colon];
                    if (command is not ("info" or "ping" or "echo" or "client" or "client|setname" or "client|setinfo" or "hello" or "config" or "config|get" or "cluster" or "command" or "subscribe" or "select" or "script" or "script|load"))
                    {
                        var calls = line[(colon + 1)..].Split(',')[0];
                        totals[i] += long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }

            Assert.True(totals[i] > 0, $"node {i} reported no commands");
        }

        return totals;
    }

    private static void Profiled(RedlockOptions options, CommandCounter counter)
    {
        options.Nodes.Clear();
        foreach (var connection in counter.Connections)
        {
            options.Connections.Add(connection);
        }
    }
}
