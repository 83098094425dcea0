using RedlockAspects.IntegrationTests.Infrastructure;

namespace RedlockAspects.IntegrationTests.Cluster;

/// <summary>A Redlock whose middle node is a Redis Cluster of three masters (docs/clusters.md).</summary>
public class ClusterNodeTests(ClusterBed bed) : IClassFixture<ClusterBed>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly RedlockAcquireOptions Fenced = new() { Fencing = true };

    [RedisServerFact]
    public async Task Locks_whose_keys_live_on_different_masters_are_acquired_extended_and_released()
    {
        var engine = bed.Engine();
        var resources = OnePerMaster("spread");
        Assert.Equal(ClusterBed.Masters, resources.Select(r => bed.Locate(r).Master).Distinct().Count());

        var leases = new List<RedlockLease>();
        foreach (var resource in resources)
        {
            var lease = await engine.AcquireAsync(resource, Ttl);
            leases.Add(lease);

            // A lease returns once a quorum granted it; the last node may answer a moment later.
            await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource)).All(v => v == lease.Token));
        }

        var rival = bed.Engine(o => o.RetryCount = 0);
        foreach (var resource in resources)
        {
            Assert.Null(await rival.TryAcquireAsync(resource, Ttl));
        }

        foreach (var lease in leases)
        {
            await lease.ExtendAsync(TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(async () => await bed.ClusterConnection.GetDatabase().KeyTimeToLiveAsync(lease.Resource) > TimeSpan.FromSeconds(30));
        }

        foreach (var lease in leases)
        {
            await lease.ReleaseAsync();
        }

        foreach (var resource in resources)
        {
            await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource)).All(v => v is null));
            await using var again = await rival.AcquireAsync(resource, Ttl);
        }
    }

    [RedisServerFact]
    public async Task A_fair_waiter_is_told_its_turn_through_the_cluster()
    {
        var resource = Names.Unique("fair-cluster");
        var fair = new RedlockAcquireOptions { Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2) };
        var holder = await bed.Engine().AcquireAsync(resource, Ttl, fair);
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource)).All(v => v == holder.Token));

        // Polling only every 30 s: getting the lock within seconds of the release takes the turn message.
        var waiting = bed.Engine().AcquireAsync(resource, Ttl, new RedlockAcquireOptions
        {
            Fair = true, RetryCount = -1, MaxWait = TimeSpan.FromMinutes(2), RetryDelay = TimeSpan.FromSeconds(30), RetryJitter = TimeSpan.Zero,
        });
        await Eventually.TrueAsync(
            async () => await bed.ClusterConnection.GetDatabase().SortedSetLengthAsync("{" + resource + "}:redlock-queue") == 1,
            TimeSpan.FromSeconds(30),
            "the waiter never queued on the cluster");

        await holder.ReleaseAsync();
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(resource, lease.Resource);
    }

    [RedisServerFact]
    public async Task Fenced_locks_on_the_cluster_get_increasing_tokens_and_keep_the_counter_in_the_keys_slot()
    {
        var engine = bed.Engine();
        foreach (var resource in new[] { Names.Unique("fenced"), "{" + Names.Unique("tagged") + "}:fenced" })
        {
            long first;
            await using (var lease = await engine.AcquireAsync(resource, Ttl, Fenced))
            {
                first = lease.FencingToken!.Value;
            }

            await using var second = await engine.AcquireAsync(resource, Ttl, Fenced);
            Assert.True(second.FencingToken > first, $"{resource}: {second.FencingToken} after {first}");

            var counter = resource.StartsWith('{') ? resource + ":redlock-fence" : "{" + resource + "}:redlock-fence";
            Assert.Equal(bed.Locate(resource).Slot, bed.Locate(counter).Slot);
            await Eventually.TrueAsync(async () => (long)await bed.ClusterConnection.GetDatabase().StringGetAsync(counter) == second.FencingToken);
        }
    }

    [RedisServerFact]
    public async Task Resources_in_different_slots_are_refused_up_front_naming_each_slot_and_suggesting_a_hash_tag()
    {
        var engine = bed.Engine();
        var (a, b) = TwoSlots();
        var (slotA, slotB) = (bed.Locate(a).Slot, bed.Locate(b).Slot);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync([a, b], Ttl));
        Assert.Equal("resources", refused.ParamName);
        Assert.Contains($"'{a}' is in slot {slotA}", refused.Message);
        Assert.Contains($"'{b}' is in slot {slotB}", refused.Message);
        Assert.Contains("{order:42}:a", refused.Message);
        Assert.Contains($"node '{bed.Cluster.ConnectionString.Split(',')[0]}' is a Redis Cluster", refused.Message);

        await Assert.ThrowsAsync<ArgumentException>(() => engine.TryAcquireAsync([a, b], Ttl));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync([a, b], Ttl, Fenced));

        // Refused before anything was sent: no node holds either key.
        Assert.All(await bed.ValuesAsync(a), Assert.Null);
        Assert.All(await bed.ValuesAsync(b), Assert.Null);
    }

    [RedisServerFact]
    public async Task Hash_tagged_resources_are_locked_together_on_every_node()
    {
        var engine = bed.Engine();
        var tag = "{" + Names.Unique("order") + "}";
        var (a, b) = (tag + ":a", tag + ":b");

        var both = await engine.AcquireAsync([a, b], Ttl, Fenced);
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(a)).Concat(await bed.ValuesAsync(b)).All(v => v == both.Token));

        var rival = bed.Engine(o => o.RetryCount = 0);
        Assert.Null(await rival.TryAcquireAsync(b, Ttl));
        await both.ExtendAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await bed.ClusterConnection.GetDatabase().KeyTimeToLiveAsync(a) > TimeSpan.FromSeconds(30));

        await both.ReleaseAsync();
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(a)).Concat(await bed.ValuesAsync(b)).All(v => v is null));
        await using var again = await rival.AcquireAsync([b, a], Ttl);
    }

    [RedisServerFact]
    public async Task A_fenced_resource_whose_counter_would_land_in_another_slot_is_refused()
    {
        var engine = bed.Engine();

        // '}' without a '{' before it: no hash tag, and the counter's tag would stop at the '}'.
        var resource = OddName();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync(resource, Ttl, Fenced));
        Assert.Contains($"Resource '{resource}' cannot be fenced", refused.Message);

        // Unfenced, it is one SET on one key, which a cluster always routes.
        await using var plain = await engine.AcquireAsync(resource, Ttl);
        await Eventually.TrueAsync(async () => (await bed.ValuesAsync(resource))[1] == plain.Token);
    }

    [RedisServerFact]
    public async Task A_described_lock_on_the_cluster_keeps_its_holder_key_in_the_lock_keys_slot_and_inspection_reads_it()
    {
        var engine = bed.Engine(o => o.HolderName = "cluster-worker");
        var tag = "{" + Names.Unique("described") + "}";
        var resource = Names.Unique("described");

        await using var single = await engine.AcquireAsync(resource, Ttl, Fenced);
        await using var both = await engine.AcquireAsync([tag + ":a", tag + ":b"], Ttl);

        await Eventually.TrueAsync(async () => (await engine.InspectAsync(resource)).Nodes.All(n => n.KeyExists));
        var inspection = await engine.InspectAsync(resource);
        Assert.Equal(single.Token, inspection.Token);
        Assert.Equal("cluster-worker", inspection.Holder?.Name);
        Assert.Equal(bed.Locate(resource).Slot, bed.Locate("{" + resource + "}:redlock-holder").Slot);
        Assert.Equal(both.Token, (await engine.InspectAsync(tag + ":b")).Token);
    }

    [RedisServerFact]
    public async Task A_master_that_comes_back_empty_gets_its_fencing_counters_back_from_the_other_nodes()
    {
        var engine = bed.Engine();

        // Not on the master that would hold a single mark for the whole node: a check of that one mark would miss the loss.
        var singleMark = bed.Locate("redlock-aspects:incarnation").Master;
        string resource;
        do
        {
            resource = Names.Unique("repair");
        }
        while (bed.Locate(resource).Master == singleMark);

        long token;
        await using (var lease = await engine.AcquireAsync(resource, Ttl, Fenced))
        {
            token = lease.FencingToken!.Value;
        }

        var counter = "{" + resource + "}:redlock-fence";
        var cluster = bed.ClusterConnection.GetDatabase();
        await Eventually.TrueAsync(async () => (long)await cluster.StringGetAsync(counter) == token);

        var master = bed.Cluster.Ports.ToList().FindIndex(p => $"127.0.0.1:{p}" == bed.Locate(resource).Master);
        await bed.Cluster.RestartMasterAsync(master);

        await Eventually.TrueAsync(
            async () => (long)await cluster.StringGetAsync(counter) == token,
            TimeSpan.FromSeconds(20),
            $"the counter of {resource} was not copied back onto master {master} after it restarted empty");
        await using var next = await engine.AcquireAsync(resource, Ttl, Fenced);
        Assert.True(next.FencingToken > token);
    }

    /// <summary>One new resource name for each master of the cluster.</summary>
    private string[] OnePerMaster(string prefix)
    {
        var byMaster = new Dictionary<string, string>();
        while (byMaster.Count < ClusterBed.Masters)
        {
            var name = Names.Unique(prefix);
            byMaster.TryAdd(bed.Locate(name).Master, name);
        }

        return [.. byMaster.Values];
    }

    private string OddName()
    {
        while (true)
        {
            var name = Names.Unique("odd") + "}x";
            if (bed.Locate(name).Slot != bed.Locate("{" + name + "}:redlock-fence").Slot)
            {
                return name;
            }
        }
    }

    private (string A, string B) TwoSlots()
    {
        while (true)
        {
            var id = Guid.NewGuid().ToString("N");
            var (a, b) = ($"order:{id}:a", $"order:{id}:b");
            if (bed.Locate(a).Slot != bed.Locate(b).Slot)
            {
                return (a, b);
            }
        }
    }
}
