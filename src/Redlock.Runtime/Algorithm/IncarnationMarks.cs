using System.Collections.Concurrent;
using System.Globalization;
using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// The keys that tell <see cref="FenceRepair"/> whether a node still has its data. On a plain node that is one key. On a
/// Redis Cluster each master can lose its data alone, so there is one mark per master: the mark key with a hash tag
/// chosen to land in a slot that master serves. After a slot moves, a master's mark is a new key, found missing once,
/// which costs one harmless repair.
/// </summary>
internal static class IncarnationMarks
{
    // Enough candidates to find every one of the 16384 slots with near certainty; a bound, so a surprise cannot spin.
    private const int MaxCandidates = 2_000_000;

    private static readonly ConcurrentDictionary<(string Mark, int Slot), RedisKey> InSlot = new();

    public static IReadOnlyList<RedisKey> For(IConnectionMultiplexer connection, RedisKey mark)
    {
        var name = (string)mark!;

        // A key prefix with its own hash tag pins every key, the marks too, to one slot: one mark is all there can be.
        if (SlotKeys.HasHashTag(name) || !ClusterTopology.IsCluster(connection))
        {
            return [mark];
        }

        var marks = new List<RedisKey>();
        foreach (var server in connection.GetServers())
        {
            if (server.IsReplica || server.ClusterConfiguration?.Nodes.FirstOrDefault(n => n.IsMyself) is not { } self || self.Slots.Count == 0)
            {
                continue;
            }

            if (KeyInSlot(connection, name, self.Slots[0].From) is { } key)
            {
                marks.Add(key);
            }
        }

        return marks.Count > 0 ? marks : [mark];
    }

    private static RedisKey? KeyInSlot(IConnectionMultiplexer connection, string mark, int slot)
    {
        if (InSlot.TryGetValue((mark, slot), out var known))
        {
            return known;
        }

        for (var n = 0; n < MaxCandidates; n++)
        {
            var candidate = new RedisKey(string.Create(CultureInfo.InvariantCulture, $"{mark}:{{{n}}}"));
            if (connection.HashSlot(candidate) == slot)
            {
                InSlot[(mark, slot)] = candidate;
                return candidate;
            }
        }

        return null;
    }
}
