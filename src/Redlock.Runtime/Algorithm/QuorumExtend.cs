using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>Extend: compare-and-pexpire on every node. It counts only when a quorum confirms it with validity left.</summary>
internal static class QuorumExtend
{
    public static async Task<ExtendOutcome> RunAsync(EngineContext context, RedisKey[] keys, RedisValue token, TimeSpan expiry)
    {
        var started = context.TimeProvider.GetTimestamp();
        var replies = await QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, context.TimeProvider,
            NodeCommands.Expire, NodeCommands.IsPositive, new LockRequest(keys, token, expiry)).ConfigureAwait(false);
        var elapsed = context.TimeProvider.GetElapsedTime(started);

        var granted = 0;
        var refused = 0;
        foreach (var reply in replies)
        {
            granted += reply.IsGranted ? 1 : 0;
            refused += reply.IsRefused ? 1 : 0;
        }

        var validity = Validity.Remaining(expiry, elapsed, context.DriftFactor);
        if (granted >= context.Quorum && validity >= context.MinValidity && validity > TimeSpan.Zero)
        {
            return new ExtendOutcome(ExtendResult.Extended, replies, started, validity);
        }

        // A node that answers "not yours" has lost our key for good; once that is true on more than
        // N − quorum nodes, no quorum can ever hold it again.
        var result = refused > context.Nodes.Count - context.Quorum ? ExtendResult.Lost : ExtendResult.Unconfirmed;
        return new ExtendOutcome(result, replies, started, validity);
    }
}

/// <summary>How an extension went.</summary>
internal enum ExtendResult
{
    /// <summary>A quorum extended it with validity left.</summary>
    Extended,

    /// <summary>Too many nodes say the key is gone or someone else's: the lock is lost.</summary>
    Lost,

    /// <summary>Not confirmed (nodes failing or slow); the lock may still be valid until its previous validity.</summary>
    Unconfirmed,
}

/// <summary>The result of one extension round.</summary>
internal readonly record struct ExtendOutcome(ExtendResult Result, NodeReply[] Replies, long StartedAt, TimeSpan Validity);
