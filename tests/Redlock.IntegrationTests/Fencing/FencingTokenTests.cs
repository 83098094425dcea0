using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Fencing;

/// <summary>Fencing tokens: larger for every later grant of a resource, null when not asked for, and free when not asked for.</summary>
public class FencingTokenTests
{
    private static readonly RedlockAcquireOptions Fenced = new() { Fencing = true, RetryCount = -1, MaxWait = TimeSpan.FromSeconds(10) };

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Tokens_grow_with_every_grant_across_engines(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engines = new[] { bed.Engine(), bed.Engine(), bed.Engine() };
        var resource = Names.Unique("fence");
        var tokens = new List<long>();

        for (var i = 0; i < 30; i++)
        {
            await using var lease = await engines[i % engines.Length].AcquireAsync(resource, TimeSpan.FromSeconds(5), Fenced);
            tokens.Add(Assert.NotNull(lease.FencingToken));
        }

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), tokens);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_multi_resource_token_exceeds_every_earlier_token_of_each_resource(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var a = Names.Unique("fa");
        var b = Names.Unique("fb");
        for (var i = 0; i < 5; i++)
        {
            await using var lease = await engine.AcquireAsync(a, TimeSpan.FromSeconds(5), Fenced);
        }

        await using (var onB = await engine.AcquireAsync(b, TimeSpan.FromSeconds(5), Fenced))
        {
            Assert.Equal(1, onB.FencingToken);
        }

        await using (var both = await engine.AcquireAsync([a, b], TimeSpan.FromSeconds(5), Fenced))
        {
            Assert.Equal(6, both.FencingToken);
        }

        await using var afterOnB = await engine.AcquireAsync(b, TimeSpan.FromSeconds(5), Fenced);
        Assert.Equal(7, afterOnB.FencingToken);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Tokens_keep_growing_after_a_minority_restarts_empty(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, restartDelay: TimeSpan.FromMilliseconds(500));
        var engine = bed.Engine();
        var resource = Names.Unique("fence-restart");
        long last = 0;
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromMilliseconds(300), Fenced);
                Assert.True(lease.FencingToken > last, $"token {lease.FencingToken} after {last}");
                last = lease.FencingToken!.Value;
            }

            // Each round a different node forgets everything, counters included.
            var node = bed.Nodes.Nodes[round % 3];
            await node.KillAsync();
            await node.RestartAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_fenced_lock_key_is_what_node_redlock_writes_and_excludes_its_clients(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("fence-wire");

        await using (var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5), Fenced))
        {
            // Key = the resource, value = the token, as node redlock has it; its SET NX PX is refused on every node.
            await bed.HeldEverywhereAsync(resource, lease.Token);
            for (var i = 0; i < 3; i++)
            {
                Assert.False(await (await bed.NodeAsync(i)).StringSetAsync(resource, "node-redlock-token", TimeSpan.FromSeconds(5), When.NotExists));
            }
        }

        // And a key node redlock holds refuses our fenced acquire. (A release returns once a quorum confirmed; the last
        // node's delete may land a moment later.)
        await bed.GoneEverywhereAsync(resource);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await (await bed.NodeAsync(i)).StringSetAsync(resource, "node-redlock-token", TimeSpan.FromSeconds(5), When.NotExists));
        }

        Assert.Null(await engine.TryAcquireAsync(resource, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { Fencing = true, MaxWait = TimeSpan.Zero }));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Counters_survive_every_node_restarting_empty_one_after_another_with_no_grant_in_between(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3, restartDelay: TimeSpan.FromMilliseconds(300));
        var engine = bed.Engine();
        var resource = Names.Unique("fence-repair");
        var counter = "{" + resource + "}:redlock-fence";

        // Tokens grow but need not be gapless: an attempt that fails (a fresh engine's first, too slow for a 200 ms TTL)
        // has already raised the counters. So the last token granted is what the counters must keep.
        long last = 0;
        for (var i = 0; i < 5; i++)
        {
            await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromMilliseconds(200), Fenced);
            last = lease.FencingToken!.Value;
        }

        // Each node in turn forgets everything. Without a copy onto the restarted node, the third restart would leave
        // no node with the counter, and the next token would start again from 1.
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.KillAsync();
            await node.RestartAsync();
            await Eventually.TrueAsync(async () => (long?)await (await bed.NodeAsync(node.Index)).StringGetAsync(counter) == last,
                TimeSpan.FromSeconds(15), $"node {node.Index} should get the counter ({last}) back after restarting empty");
        }

        await using var next = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1), Fenced);
        Assert.True(next.FencingToken > last, $"token {next.FencingToken} after {last}");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task An_unfenced_lease_has_no_token_and_writes_no_counter(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("unfenced");

        await using (var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5)))
        {
            Assert.Null(lease.FencingToken);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.False(await (await bed.NodeAsync(i)).KeyExistsAsync("{" + resource + "}:redlock-fence"));
        }
    }

    [RedisServerFact]
    public async Task The_unfenced_path_sends_no_extra_commands()
    {
        // Garnet keeps no per-command statistics; redis-server's INFO commandstats counts the commands scripts run too.
        await using var bed = await LockBed.StartAsync(RedisBackend.RedisServer, 3);
        var engine = bed.Engine();
        var resource = Names.Unique("count");
        await using (await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5)))
        {
        }

        var before = await CommandStats.TotalsAsync(bed);
        const int cycles = 20;
        for (var i = 0; i < cycles; i++)
        {
            await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));
        }

        // A release returns once a quorum confirmed; the last node's delete may land a moment later.
        var after = before;
        await Eventually.TrueAsync(async () =>
        {
            after = await CommandStats.TotalsAsync(bed);
            return after.GetValueOrDefault("del") - before.GetValueOrDefault("del") >= cycles * 3;
        });

        // Per cycle and node: SET NX PX to acquire; the release script's GET and DEL. Nothing reads or writes a counter.
        Assert.Equal(cycles * 3, after.GetValueOrDefault("set") - before.GetValueOrDefault("set"));
        Assert.Equal(cycles * 3, after.GetValueOrDefault("del") - before.GetValueOrDefault("del"));
        Assert.Equal(0, after.GetValueOrDefault("exists") - before.GetValueOrDefault("exists"));
        Assert.Equal(cycles * 3, after.GetValueOrDefault("get") - before.GetValueOrDefault("get"));
        Assert.Equal(0, after.GetValueOrDefault("incr") + after.GetValueOrDefault("incrby") - before.GetValueOrDefault("incr") - before.GetValueOrDefault("incrby"));
    }
}
