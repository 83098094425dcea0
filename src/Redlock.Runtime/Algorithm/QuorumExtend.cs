using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Extend: compare-and-pexpire on every node. It counts only when a quorum confirms it and the new grant, believed until
/// start + ttl − drift, still has the minimum validity left.
/// </summary>
internal static class QuorumExtend
{
    /// <param name="context">The engine.</param>
    /// <param name="keys">The lease's keys.</param>
    /// <param name="token">The lease's token.</param>
    /// <param name="expiry">The new key life.</param>
    /// <param name="startedAt">When the extension began; the new belief counts from here.</param>
    public static async Task<ExtendOutcome> RunAsync(EngineContext context, RedisKey[] keys, RedisValue token, TimeSpan expiry, long startedAt)
    {
        // A described lock's holder keys live exactly as long as its lock keys.
        var replies = context.Holder is null
            ? await QuorumRound<RedisResult>.RunAsync(
                context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, context.TimeProvider,
                NodeCommands.Expire, NodeCommands.PositiveReply, new LockRequest(keys, token, expiry)).ConfigureAwait(false)
            : await QuorumRound<RedisResult>.RunAsync(
                context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, context.TimeProvider,
                NodeCommands.ExpireDescribed, NodeCommands.PositiveReply, new LockRequest(HolderKeys.WithHolders(keys), token, expiry)).ConfigureAwait(false);

        var granted = 0;
        var refused = 0;
        foreach (var reply in replies)
        {
            granted += reply.IsGranted ? 1 : 0;
            refused += reply.IsRefused ? 1 : 0;
        }

        var validUntil = Validity.Deadline(context, startedAt, expiry);
        var left = context.ToTimeSpan(validUntil - context.TimeProvider.GetTimestamp());
        if (granted >= context.Quorum && left >= context.MinValidity && left > TimeSpan.Zero)
        {
            return new ExtendOutcome(ExtendResult.Extended, replies, validUntil);
        }

        // A node that answers "not yours" has lost our key for good; once that is true on more than
        // N − quorum nodes, no quorum can ever hold it again.
        var result = refused > context.Nodes.Count - context.Quorum ? ExtendResult.Lost : ExtendResult.Unconfirmed;
        return new ExtendOutcome(result, replies, validUntil);
    }
}

/// <summary>How an extension went.</summary>
internal enum ExtendResult
{
    /// <summary>A quorum extended it with validity left.</summary>
    Extended,

    /// <summary>Too many nodes say the key is gone or someone else's: the lock is lost.</summary>
    Lost,

    /// <summary>Not confirmed (nodes failing or slow); the lease believes no more than the shorter of its old and the attempted validity.</summary>
    Unconfirmed,
}

/// <summary>The result of one extension round.</summary>
/// <param name="Result">How it went.</param>
/// <param name="Replies">Each node's answer.</param>
/// <param name="ValidUntil">The deadline the attempted extension gives, in the engine clock's timestamps.</param>
internal readonly record struct ExtendOutcome(ExtendResult Result, NodeReply[] Replies, long ValidUntil);
