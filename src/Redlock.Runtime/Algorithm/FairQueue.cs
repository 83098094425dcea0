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
/// live ticket heads the queue on every node it has reached and no two nodes can wait on each other for long. A release
/// hands the lock straight to the head, from the note its last attempt left; once a quorum of nodes has, the waiter holds
/// the lock, believed from the send time of the attempt they quote.
/// </summary>
internal sealed class FairQueue
{
    private const string QueueSuffix = ":redlock-queue";
    private const string DeadlineSuffix = ":redlock-queue-expiry";
    private const string CounterSuffix = ":redlock-ticket";
    private const string NotesSuffix = ":redlock-queue-grant";

    private readonly RedisKey[] _keys;
    private readonly long _entryLifeMs;
    private readonly Lock _gate = new();

    // When each attempt was sent (index: attempt number − 1): a hand-over quotes the attempt its node saw last.
    private readonly List<long> _attemptsSentAt = [];

    // Hand-overs heard of, by released token, then by node: the attempt each node quotes and the life it set.
    private readonly Dictionary<string, Dictionary<int, (long Attempt, long Ms)>> _handOvers = [];
    // A claim: the earliest attempt and shortest life a quorum of hand-overs quote, and the nodes that made them.
    private (long Attempt, long Ms, int[] Nodes)? _claimable;

    // The nodes whose hand-overs made the claim we took: they dropped our entry when they handed us the key.
    private int[] _handedBy = [];

    // Per node, hand-overs quoting an attempt up to this one may have been undone (see AttemptFailed).
    private readonly Dictionary<int, long> _voidThrough = [];

    // Whether we got the lock (until then, leaving means giving up), and the replies of the attempt that got it, if one did.
    private bool _won;
    private NodeReply[]? _grants;

    /// <param name="key">The lock key.</param>
    /// <param name="longestPause">The longest pause between two attempts.</param>
    /// <param name="nodeTimeout">How long a node may take to answer.</param>
    /// <param name="waiterPrefix">This engine's part of a waiter id (<see cref="WakeChannels.WaiterPrefix"/>), so that a release can tell this engine alone that it is our turn.</param>
    public FairQueue(RedisKey key, TimeSpan longestPause, TimeSpan nodeTimeout, string waiterPrefix)
    {
        _keys = [key, SlotKeys.Derive(key, QueueSuffix), SlotKeys.Derive(key, DeadlineSuffix), SlotKeys.Derive(key, CounterSuffix), SlotKeys.Derive(key, NotesSuffix)];

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

    /// <summary>The arguments of a command that is not an attempt.</summary>
    public FairRequest Request(RedisValue token, TimeSpan expiry) => new(_keys, token, expiry, Ticket, Waiter, _entryLifeMs);

    /// <summary>The arguments of an attempt sent at <paramref name="sentAt"/>, numbered so that a hand-over can say which one its node saw last.</summary>
    public FairRequest AttemptRequest(RedisValue token, TimeSpan expiry, long sentAt)
    {
        lock (_gate)
        {
            _attemptsSentAt.Add(sentAt);
            return new FairRequest(_keys, token, expiry, Ticket, Waiter, _entryLifeMs, _attemptsSentAt.Count);
        }
    }

    /// <summary>The lock key, queue, deadlines and hand-over notes, for releasing a fair lease.</summary>
    public static RedisKey[] ReleaseKeys(RedisKey key) =>
        [key, SlotKeys.Derive(key, QueueSuffix), SlotKeys.Derive(key, DeadlineSuffix), SlotKeys.Derive(key, NotesSuffix)];

    /// <summary>
    /// Node <paramref name="node"/> handed us the lock when <paramref name="releasedToken"/>'s holder released it: it set
    /// the key for <paramref name="ms"/> after seeing our attempt number <paramref name="attempt"/>. True once, when
    /// <paramref name="quorum"/> nodes have done so for one release, and none of them since undid it: the lock is then
    /// ours (<see cref="TryClaim"/>).
    /// </summary>
    public bool HandedOver(int node, string releasedToken, long attempt, long ms, int quorum)
    {
        lock (_gate)
        {
            if (_won || attempt < 1 || attempt > _attemptsSentAt.Count || ms < 1
                || (_voidThrough.TryGetValue(node, out var voided) && attempt <= voided))
            {
                return false;
            }

            if (!_handOvers.TryGetValue(releasedToken, out var nodes))
            {
                nodes = [];
                _handOvers[releasedToken] = nodes;
            }

            nodes[node] = (attempt, ms);
            return _claimable is null && Claimable(nodes, quorum);
        }
    }

    /// <summary>
    /// Takes the lock a quorum of nodes handed us, if they have: every one of them set the key after it saw an attempt
    /// of ours sent no earlier than <paramref name="believedFrom"/>, for at least <paramref name="life"/>, so the keys live
    /// at least until then + life on a quorum (the rule an attempt's own grant follows, counted from its start).
    /// </summary>
    public bool TryClaim(out long believedFrom, out TimeSpan life)
    {
        lock (_gate)
        {
            if (_claimable is not { } claim)
            {
                believedFrom = 0;
                life = TimeSpan.Zero;
                return false;
            }

            _claimable = null;
            _handedBy = claim.Nodes;
            believedFrom = _attemptsSentAt[(int)claim.Attempt - 1];
            life = TimeSpan.FromMilliseconds(claim.Ms);
            return true;
        }
    }

    /// <summary>
    /// A newcomer's refused attempt took a ticket on each node that refused it: the highest of them is ours when a quorum
    /// gave one, as with <see cref="TakeTicketAsync"/>. Otherwise (a split vote, or nodes of an older version) we stay
    /// without, and the caller takes one with its own round trip.
    /// </summary>
    public void TakeTicketFrom(NodeReply[] replies, int quorum)
    {
        var given = 0;
        var highest = 0L;
        foreach (var reply in replies)
        {
            if (reply.IsRefused && reply.Fence > 0)
            {
                given++;
                highest = Math.Max(highest, reply.Fence);
            }
        }

        if (Ticket == 0 && given >= quorum)
        {
            Ticket = highest;
        }
    }

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

    /// <summary>
    /// The last attempt failed, and its undo deletes our token on the nodes that did not refuse it (<paramref name="replies"/>),
    /// which includes a key a release had handed us there just before. A hand-over that such a node made before the undo
    /// quoted this attempt or an earlier one (the undo reaches the node before our next attempt does), so from those
    /// nodes, every hand-over heard of or still to come that quotes one of them no longer counts. The next attempt takes
    /// any key still handed to us as a grant.
    /// </summary>
    public void AttemptFailed(NodeReply[] replies, int quorum)
    {
        lock (_gate)
        {
            var undone = false;
            for (var i = 0; i < replies.Length; i++)
            {
                if (!replies[i].IsRefused)
                {
                    _voidThrough[i] = _attemptsSentAt.Count;
                    undone = true;
                    foreach (var nodes in _handOvers.Values)
                    {
                        nodes.Remove(i);
                    }
                }
            }

            if (undone)
            {
                // Hand-overs counted before the undo may still make a quorum without the nodes it reached.
                _claimable = null;
                foreach (var nodes in _handOvers.Values)
                {
                    if (Claimable(nodes, quorum))
                    {
                        break;
                    }
                }
            }
        }
    }

    // Under the gate: when these nodes make a quorum, the claim is the earliest attempt they quote and the shortest life.
    private bool Claimable(Dictionary<int, (long Attempt, long Ms)> nodes, int quorum)
    {
        if (nodes.Count < quorum)
        {
            return false;
        }

        _claimable = (nodes.Values.Min(n => n.Attempt), nodes.Values.Min(n => n.Ms), [.. nodes.Keys]);
        return true;
    }

    /// <summary>
    /// Records that we got the lock, from an attempt's <paramref name="replies"/> (whose granting nodes already dropped our
    /// entry) or from hand-overs (<c>null</c>): leaving the queue is then no longer giving up.
    /// </summary>
    public void Won(NodeReply[]? replies)
    {
        lock (_gate)
        {
            _won = true;
            _grants = replies;
            _claimable = null;
            if (replies is not null)
            {
                // Won by an attempt, after which a node that had handed us the key may have queued us again.
                _handedBy = [];
            }
        }
    }

    /// <summary>
    /// Leaves the queue, without waiting. After getting the lock, only the entry goes, and only where it may still be (a
    /// node that granted or handed us the lock has already dropped it). When giving up, on every node, a key that a release
    /// handed us meanwhile is deleted and handed on, so the line does not wait for it to expire.
    /// </summary>
    /// <param name="context">The engine.</param>
    /// <param name="token">Our lock token.</param>
    public void LeaveInBackground(EngineContext context, RedisValue token)
    {
        if (Ticket == 0)
        {
            return;
        }

        bool won;
        NodeReply[]? grants;
        int[] handedBy;
        lock (_gate)
        {
            won = _won;
            grants = _grants;
            handedBy = _handedBy;
        }

        var request = Request(token, TimeSpan.Zero);
        var command = won ? NodeCommands.LeaveQueueFireAndForget : NodeCommands.GiveUpFireAndForget;
        for (var i = 0; i < context.Nodes.Count; i++)
        {
            if ((grants is not null && grants[i].IsGranted) || (won && handedBy.Contains(i)))
            {
                continue;
            }

            var node = context.Nodes[i];
            try
            {
                UnawaitedCommands.Observe(node.RunAsync(command, request));
            }
            catch (Exception e) when (e is RedisException or ObjectDisposedException)
            {
                // Unreachable: the entry expires on its own.
            }
        }
    }
}
