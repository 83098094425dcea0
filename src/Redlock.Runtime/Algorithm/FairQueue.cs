using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// One fair acquisition's place in the resource's queue across processes (docs/fairness.md). The waiter has an id, and
/// once its first attempt finds the lock busy it takes a ticket: every node increments the resource's counter, the
/// waiter keeps the highest a quorum returned, and its next attempts raise each node's counter to it. So a waiter that
/// arrives after another's ticket was recorded on a quorum gets a larger one (the two quorums share a node), and every
/// node orders the waiters it knows the same way: by ticket, then by id. Each attempt adds or refreshes the waiter's
/// entry (an expiry in the entry), and a node grants only to the head of its live queue, so the waiter with the lowest
/// live ticket heads the queue on every node it has reached and no two nodes can wait on each other for long.
/// </summary>
internal sealed class FairQueue
{
    private const string QueueSuffix = ":redlock-queue";
    private const string DeadlineSuffix = ":redlock-queue-expiry";
    private const string CounterSuffix = ":redlock-ticket";

    private readonly RedisKey[] _keys;
    private readonly long _entryLifeMs;

    // The nodes whose grant already took us off their queue (the grant script leaves the queue itself).
    private NodeReply[]? _grants;

    /// <param name="key">The lock key.</param>
    /// <param name="longestPause">The longest pause between two attempts.</param>
    /// <param name="nodeTimeout">How long a node may take to answer.</param>
    /// <param name="waiterPrefix">This engine's part of a waiter id (<see cref="WakeChannels.WaiterPrefix"/>), so that a release can tell this engine alone that it is our turn.</param>
    public FairQueue(RedisKey key, TimeSpan longestPause, TimeSpan nodeTimeout, string waiterPrefix)
    {
        _keys = [key, SlotKeys.Derive(key, QueueSuffix), SlotKeys.Derive(key, DeadlineSuffix), SlotKeys.Derive(key, CounterSuffix)];

        // An entry must outlive the pauses between its refreshes (each attempt refreshes it), with room for a slow node;
        // it is also how long a waiter that died blocks the line, so no longer than that.
        var life = longestPause * 2 + nodeTimeout;
        _entryLifeMs = (long)Math.Max(2000, life.TotalMilliseconds);
        Waiter = waiterPrefix + LockToken.New();
    }

    /// <summary>This waiter's id in the queue.</summary>
    public string Waiter { get; }

    /// <summary>The ticket; 0 until one was taken over a quorum.</summary>
    public long Ticket { get; private set; }

    /// <summary>The arguments of an attempt.</summary>
    public FairRequest Request(RedisValue token, TimeSpan expiry) => new(_keys, token, expiry, Ticket, Waiter, _entryLifeMs);

    /// <summary>The lock key, queue and deadlines, for releasing a fair lease.</summary>
    public static RedisKey[] ReleaseKeys(RedisKey key) => [key, SlotKeys.Derive(key, QueueSuffix), SlotKeys.Derive(key, DeadlineSuffix)];

    /// <summary>Takes a ticket: the highest counter a quorum returned after incrementing it. Stays without one when no quorum answered.</summary>
    public async Task TakeTicketAsync(EngineContext context)
    {
        var replies = await QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, context.TimeProvider,
            NodeCommands.TakeTicket, NodeCommands.TicketReply, Request(RedisValue.Null, TimeSpan.Zero)).ConfigureAwait(false);
        var granted = 0;
        var highest = 0L;
        foreach (var reply in replies)
        {
            if (reply.IsGranted)
            {
                granted++;
                highest = Math.Max(highest, reply.Fence);
            }
        }

        if (granted >= context.Quorum)
        {
            Ticket = highest;
        }
    }

    /// <summary>Records the replies of the attempt that got the lock: the nodes that granted it have already dropped our entry.</summary>
    public void Granted(NodeReply[] replies) => _grants = replies;

    /// <summary>
    /// Leaves the queue, without waiting: after a grant on the nodes that did not grant (they still list us), or on every
    /// node when giving up.
    /// </summary>
    public void LeaveInBackground(EngineContext context)
    {
        if (Ticket == 0)
        {
            return;
        }

        var request = Request(RedisValue.Null, TimeSpan.Zero);
        for (var i = 0; i < context.Nodes.Count; i++)
        {
            if (_grants is { } grants && grants[i].IsGranted)
            {
                continue;
            }

            var node = context.Nodes[i];
            try
            {
                var sent = node.RunAsync(NodeCommands.LeaveQueueFireAndForget, request);
                if (!sent.IsCompleted)
                {
                    sent.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
            catch (Exception e) when (e is RedisException or ObjectDisposedException)
            {
                // Unreachable: the entry expires on its own.
            }
        }
    }
}
