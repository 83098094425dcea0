using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Release: compare-and-delete on every node, or, while a minimum hold is still running, compare-and-pexpire
/// down to what is left of it. Best effort: a node that fails keeps the key only until it expires.
/// </summary>
internal static class QuorumRelease
{
    /// <summary>
    /// Deletes our keys on every node. Returns once a quorum has confirmed (the lock is then free for others) or
    /// cannot, or at the release timeout; slower nodes still get the command, queued on their connection.
    /// </summary>
    public static Task<NodeReply[]> DeleteAsync(EngineContext context, RedisKey[] keys, RedisValue token) =>
        QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: false, context.ReleaseTimeout, context.TimeProvider,
            context.Holder is null ? NodeCommands.Delete : NodeCommands.DeleteDescribed, NodeCommands.PositiveReply,
            Request(context, keys, token, TimeSpan.Zero));

    /// <summary>Deletes a fair lease's key on every node, waking the head of the queue; returns as <see cref="DeleteAsync"/> does.</summary>
    public static Task<NodeReply[]> DeleteFairAsync(EngineContext context, RedisKey key, RedisValue token) =>
        QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: false, context.ReleaseTimeout, context.TimeProvider,
            NodeCommands.FairDelete, NodeCommands.PositiveReply, new LockRequest(FairQueue.ReleaseKeys(key), token, TimeSpan.Zero));

    /// <summary>Sets our keys to expire after <paramref name="remaining"/> instead of deleting them; returns as <see cref="DeleteAsync"/> does.</summary>
    public static Task<NodeReply[]> ShortenAsync(EngineContext context, RedisKey[] keys, RedisValue token, TimeSpan remaining) =>
        QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: false, context.ReleaseTimeout, context.TimeProvider,
            context.Holder is null ? NodeCommands.Expire : NodeCommands.ExpireDescribed, NodeCommands.PositiveReply,
            Request(context, keys, token, remaining));

    /// <summary>
    /// After a failed attempt: deletes whatever we may have set, without waiting. On each connection this goes
    /// out after the attempt's own command, so a late grant is still undone. Nodes that answered "busy" hold
    /// someone else's key, not ours, so they are spared the round trip (under contention that is most of them).
    /// </summary>
    public static void DeleteInBackground(EngineContext context, RedisKey[] keys, RedisValue token, NodeReply[] replies) =>
        SendToUnrefused(
            context,
            context.Holder is null ? NodeCommands.DeleteFireAndForget : NodeCommands.DeleteDescribedFireAndForget,
            Request(context, keys, token, TimeSpan.Zero),
            replies);

    /// <summary>
    /// After a failed fair attempt: as <see cref="DeleteInBackground"/>, and a node that deletes our key hands it to the
    /// head of its queue, as a release does. The key may be one a release handed us while the attempt was on its way.
    /// </summary>
    public static void UndoFairInBackground(EngineContext context, FairRequest request, NodeReply[] replies) =>
        SendToUnrefused(context, NodeCommands.FairUndoFireAndForget, request, replies);

    private static void SendToUnrefused<TRequest>(
        EngineContext context, Func<IDatabaseAsync, TRequest, Task<RedisResult>> command, TRequest request, NodeReply[] replies)
    {
        for (var i = 0; i < context.Nodes.Count; i++)
        {
            if (replies[i].IsRefused)
            {
                continue;
            }

            try
            {
                UnawaitedCommands.Observe(context.Nodes[i].RunAsync(command, request));
            }
            catch (Exception e) when (e is RedisException or ObjectDisposedException)
            {
                // The node is unreachable: whatever it holds expires with the TTL.
            }
        }
    }

    /// <summary>The command's keys: the lock keys, and for a described lock their holder keys after them.</summary>
    private static LockRequest Request(EngineContext context, RedisKey[] keys, RedisValue token, TimeSpan expiry) =>
        new(context.Holder is null ? keys : HolderKeys.WithHolders(keys), token, expiry);
}
