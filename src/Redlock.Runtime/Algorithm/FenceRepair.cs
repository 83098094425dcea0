using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Copies fencing counters onto a node that came back empty. Without persistence a restarted node forgets its counters,
/// and if the nodes that still hold the newest token later restart too, before any fenced grant of the resource writes
/// the counter back, a majority would have lost it one node at a time. So once an engine has used fencing, it marks each
/// node with an incarnation key and, whenever a connection to a node opens or comes back and the mark is gone, copies
/// the highest counter of every resource from the other nodes before marking it again. Every fencing engine does this,
/// and copying never lowers a counter, so repairs may overlap. A node then holds the counters again within one
/// reconnect, and tokens stay monotonic as long as no majority of nodes loses its data within that window. A node that is
/// a Redis Cluster gets one mark per master (<see cref="IncarnationMarks"/>), since each master can lose its data alone.
/// </summary>
internal sealed class FenceRepair(EngineContext context)
{
    /// <summary>The per-node mark; it has no expiry, and its absence means the node lost its data (or never had fencing).</summary>
    public const string MarkKey = "redlock-aspects:incarnation";

    private const int Batch = 256;
    private const int MaxServerErrorRetries = 5;
    private int _started;

    /// <summary>Starts watching every node, once, when the engine first uses fencing.</summary>
    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < context.Nodes.Count; i++)
        {
            var index = i;
            context.Nodes[i].WhenConnected(connection =>
            {
                connection.ConnectionRestored += (_, _) => _ = CheckAsync(index);
                _ = CheckAsync(index);
            });
        }
    }

    /// <summary>Repairs node <paramref name="index"/> if it has lost its mark; never throws.</summary>
    /// <param name="index">The node.</param>
    /// <param name="attempt">How many times the check has already failed with a server error.</param>
    public async Task CheckAsync(int index, int attempt = 0)
    {
        try
        {
            var target = context.Nodes[index].Connection;
            if (target is null)
            {
                return;
            }

            var db = target.GetDatabase();
            var marks = IncarnationMarks.For(target, context.KeyFor(MarkKey));
            if (await AllPresentAsync(db, marks).ConfigureAwait(false))
            {
                return;
            }

            var copied = 0;
            for (var j = 0; j < context.Nodes.Count; j++)
            {
                if (j != index && context.Nodes[j].Connection is { IsConnected: true } source)
                {
                    copied += await CopyCountersAsync(source, db).ConfigureAwait(false);
                }
            }

            foreach (var mark in marks)
            {
                await db.StringSetAsync(mark, LockToken.New()).ConfigureAwait(false);
            }

            RedlockLog.FencesRepaired(context.Logger, context.Nodes[index].Name, copied);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // The node went away again: the next reconnect tries once more.
            RedlockLog.FenceRepairFailed(context.Logger, context.Nodes[index].Name, e.Message);

            // A server that answers with an error (a cluster master back before its peers know it: CLUSTERDOWN) brings
            // no reconnect, so try again a few times.
            if (e is RedisServerException && attempt < MaxServerErrorRetries)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt + 1), context.TimeProvider).ConfigureAwait(false);
                await CheckAsync(index, attempt + 1).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> AllPresentAsync(IDatabase db, IReadOnlyList<RedisKey> marks)
    {
        foreach (var mark in marks)
        {
            if (!await db.KeyExistsAsync(mark).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<int> CopyCountersAsync(IConnectionMultiplexer source, IDatabase target)
    {
        var copied = 0;
        foreach (var endpoint in source.GetEndPoints())
        {
            var server = source.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            var keys = new List<RedisKey>(Batch);
            await foreach (var key in server.KeysAsync(pattern: "*" + FenceKeys.Suffix, pageSize: Batch).ConfigureAwait(false))
            {
                keys.Add(key);
                if (keys.Count == Batch)
                {
                    copied += await CopyAsync(source.GetDatabase(), target, keys).ConfigureAwait(false);
                    keys.Clear();
                }
            }

            copied += await CopyAsync(source.GetDatabase(), target, keys).ConfigureAwait(false);
        }

        return copied;
    }

    private static async Task<int> CopyAsync(IDatabase source, IDatabase target, List<RedisKey> keys)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        // One GET per key (pipelined), not MGET: on a Redis Cluster the counters of one batch lie in many slots.
        var values = await Task.WhenAll(keys.Select(key => source.StringGetAsync(key))).ConfigureAwait(false);
        var raises = new List<Task>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (values[i].TryParse(out long value) && value > 0)
            {
                raises.Add(target.ScriptEvaluateAsync(LockScripts.RaiseFence, [keys[i]], [value]));
            }
        }

        await Task.WhenAll(raises).ConfigureAwait(false);
        return raises.Count;
    }
}
