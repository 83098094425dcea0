using System.Globalization;
using System.Text;
using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Refuses, before anything is sent, a request whose keys a Redis Cluster node could not handle: every node sets all of
/// one lock's keys (and their fencing counters) in one script, and a cluster runs a script only when all its keys hash to
/// one slot. The check runs only when a node of the engine is a cluster: over plain nodes the same request is fine (node
/// <c>redlock</c> and this library have always allowed it), and refusing it there would break working code for no gain.
/// </summary>
internal static class ClusterSlots
{
    /// <summary>
    /// Throws when a cluster node could not take <paramref name="keys"/> (plus their fencing counters when
    /// <paramref name="fencing"/>, and their holder keys when <paramref name="described"/>) in one script. A node's
    /// topology is known once its first connection attempt has ended, so a fresh engine's first such request waits for
    /// those attempts, at most <paramref name="bound"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The keys span several slots; the message names each resource's slot and suggests a hash tag.</exception>
    public static async ValueTask EnsureOneSlotAsync(
        NodeSet nodes, IReadOnlyList<string> resources, RedisKey[] keys, bool fencing, bool described, TimeSpan bound, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // A single resource with no derived key is one SET on one key: it always routes.
        if (keys.Length == 1 && !fencing && !described)
        {
            return;
        }

        var opening = nodes.Where(n => !n.Opened.IsCompleted).Select(n => n.Opened).ToArray();
        if (opening.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(opening), Task.Delay(bound, timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        var cluster = FirstCluster(nodes);
        if (cluster?.Connection is not { } connection)
        {
            return;
        }

        var slots = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            slots[i] = connection.HashSlot(keys[i]);
        }

        if (slots.Distinct().Count() > 1)
        {
            throw new ArgumentException(CrossSlotMessage(cluster.Name, resources, slots), nameof(resources));
        }

        if (fencing)
        {
            EnsureSameSlot(connection, cluster.Name, resources, keys, slots, FenceKeys.For, "fenced", "fencing counter");
        }

        if (described)
        {
            EnsureSameSlot(connection, cluster.Name, resources, keys, slots, HolderKeys.For, "described (RedlockOptions.HolderName)", "holder key");
        }
    }

    /// <summary>A key derived from a lock key goes in the same script, so it must share the lock key's slot.</summary>
    private static void EnsureSameSlot(
        IConnectionMultiplexer connection, string node, IReadOnlyList<string> resources, RedisKey[] keys, int[] slots,
        Func<RedisKey, RedisKey> derive, string what, string keyKind)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var derived = derive(keys[i]);
            var derivedSlot = connection.HashSlot(derived);
            if (derivedSlot != slots[i])
            {
                throw new ArgumentException(
                    $"Resource '{resources[i]}' cannot be {what} on node '{node}', a Redis Cluster: its {keyKind} '{derived}' hashes to slot {derivedSlot}, " +
                    $"not to the lock key's slot {slots[i]}, because the name contains '}}' without a hash tag. Give the resource a hash tag, such as '{{order:42}}:a'.",
                    "resources");
            }
        }
    }

    private static RedlockNode? FirstCluster(NodeSet nodes)
    {
        foreach (var node in nodes)
        {
            if (node.IsCluster)
            {
                return node;
            }
        }

        return null;
    }

    private static string CrossSlotMessage(string node, IReadOnlyList<string> resources, int[] slots)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The resources of one lock must hash to one Redis Cluster slot, and node '{node}' is a Redis Cluster, but ");
        for (var i = 0; i < resources.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ");
            text.Append(CultureInfo.InvariantCulture, $"'{resources[i]}' is in slot {slots[i]}");
        }

        text.Append(". Give them a common hash tag: only the part between the first '{' and the next '}' is hashed, so '{order:42}:a' and '{order:42}:b' share a slot.");
        return text.ToString();
    }
}
