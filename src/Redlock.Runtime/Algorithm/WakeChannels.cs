using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Wake-up across processes. The release script publishes the released token on the key's wake channel (the key followed
/// by <see cref="SuffixText"/>) on every node where it deleted the key; while any caller of this engine waits for a key,
/// the engine is subscribed to that channel on every connected node, and a message wakes the first waiter in the key's
/// <see cref="LocalWaitLine"/>, exactly as a release in this process does. One release reaches a waiter through up to N
/// nodes, so a token already seen is ignored. A message is only a hint that makes a waiter try now: polling at the retry
/// delay stays, so a lost message, a node without pub/sub or a holder whose key simply expired costs time, never liveness.
/// Fair waiters (docs/fairness.md) are told their turn on their engine's own turn channel instead, so that a release
/// wakes the one process whose waiter heads the queue, not every process that waits for the key.
/// </summary>
internal sealed class WakeChannels : IAsyncDisposable
{
    /// <summary>What the release script appends to a key to name its wake channel.</summary>
    public const string SuffixText = ":redlock-wake";

    /// <summary>What a turn channel's name starts with; this engine's id follows (the fair release script builds the same name).</summary>
    public const string TurnChannelPrefix = "redlock-aspects:turn:";

    /// <summary>How long a subscription outlives its last waiter, so that a hot key does not subscribe and unsubscribe on every hand-over.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    private static readonly byte[] Suffix = ":redlock-wake"u8.ToArray();

    private readonly NodeSet _nodes;
    private readonly LocalWaitLine _line;
    private readonly Lock _gate = new();
    private readonly Dictionary<RedisKey, Watch> _watches = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (LocalWaitLine.Ticket Ticket, FairQueue Queue)> _fairWaiters = new();
    private readonly string _engineId = LockToken.New();
    private Watch? _turns;
    private bool _disposed;

    public WakeChannels(NodeSet nodes, LocalWaitLine line)
    {
        _nodes = nodes;
        _line = line;
    }

    /// <summary>
    /// What this engine's fair waiter ids start with: the engine's id (hex) and a dot, from which the fair release script
    /// names this engine's turn channel.
    /// </summary>
    public string WaiterPrefix => _engineId + ".";

    /// <summary>
    /// Subscribes, once per engine and for its lifetime, to this engine's turn channel on every node, before its first fair
    /// waiter can head a queue; returns <see cref="WaiterPrefix"/>.
    /// </summary>
    public string ListenForTurns()
    {
        if (Volatile.Read(ref _turns) is null)
        {
            Watch? created = null;
            lock (_gate)
            {
                if (_turns is null && !_disposed)
                {
                    created = _turns = Watch.ForTurns(this, RedisChannel.Literal(TurnChannelPrefix + _engineId));
                }
            }

            created?.EnsureSubscribed();
        }

        return WaiterPrefix;
    }

    /// <summary>The wake channel of <paramref name="key"/>: the key's bytes followed by <see cref="SuffixText"/>.</summary>
    public static RedisChannel ChannelFor(RedisKey key)
    {
        byte[] bytes = key!;
        return new RedisChannel([.. bytes, .. Suffix], RedisChannel.PatternMode.Literal);
    }

    /// <summary>Subscribes (or keeps the subscription) to the wake channels of <paramref name="keys"/> until the result is disposed.</summary>
    public IDisposable Subscribe(RedisKey[] keys)
    {
        var watches = new Watch[keys.Length];
        lock (_gate)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (!_watches.TryGetValue(keys[i], out var watch))
                {
                    watch = new Watch(this, keys[i]);
                    _watches.Add(keys[i], watch);
                }

                watch.Waiters++;
                watch.CancelLinger();
                watches[i] = watch;
            }
        }

        foreach (var watch in watches)
        {
            watch.EnsureSubscribed();
        }

        return new Lease(this, watches);
    }

    /// <summary>
    /// Lets a release that names <paramref name="waiter"/> as the head of a fair queue wake <paramref name="ticket"/>
    /// alone, until the result is disposed: <c>w:&lt;waiter&gt; &lt;released token&gt;</c> to try, or
    /// <c>g:&lt;waiter&gt; &lt;released token&gt; &lt;attempt&gt; &lt;ms&gt;</c> when the node handed it the lock
    /// (recorded in <paramref name="queue"/>, which says when a quorum has).
    /// </summary>
    public IDisposable Register(string waiter, LocalWaitLine.Ticket ticket, FairQueue queue)
    {
        ticket.WakeOnlyByName();
        _fairWaiters[waiter] = (ticket, queue);
        return new Registration(this, waiter);
    }

    /// <summary>This engine released <paramref name="key"/> held under <paramref name="token"/>: wake a local waiter now, and ignore the echo of our own publish.</summary>
    /// <param name="key">The released key.</param>
    /// <param name="token">The released lease's token.</param>
    /// <param name="fair">True for a fair lease, whose release told the queue's head by name: local fair waiters are left to that.</param>
    public void Released(RedisKey key, RedisValue token, bool fair)
    {
        Watch? watch;
        lock (_gate)
        {
            _watches.TryGetValue(key, out watch);
        }

        if (fair)
        {
            // The release named the queue's head, which may be a waiter of ours: its copies must still count, so the
            // token is not marked as seen.
            _line.Signal(key, fairRelease: true);
        }
        else if (watch is null || watch.MarkSignalled(token))
        {
            _line.Signal(key);
        }
    }

    /// <summary>
    /// Counts one node's announcement of the release of <paramref name="token"/> on <paramref name="key"/>, whether it came
    /// as a turn or as a plain release (a node that lost its queue in a restart names nobody), on the key's watch, or on
    /// <paramref name="fallback"/> when the key has none. True once, when a quorum has announced it.
    /// </summary>
    private bool CountRelease(RedisKey key, RedisValue token, Watch fallback)
    {
        Watch? watch;
        lock (_gate)
        {
            _watches.TryGetValue(key, out watch);
        }

        return (watch ?? fallback).Announced(token, _nodes.Quorum);
    }

    /// <summary>Drops every subscription (the caller's own connections stay open and must not keep our handlers).</summary>
    public async ValueTask DisposeAsync()
    {
        Watch[] all;
        lock (_gate)
        {
            _disposed = true;
            all = _turns is null ? [.. _watches.Values] : [.. _watches.Values, _turns];
            _watches.Clear();
        }

        foreach (var watch in all)
        {
            watch.CancelLinger();
            await watch.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private void Leave(Watch[] watches)
    {
        lock (_gate)
        {
            foreach (var watch in watches)
            {
                if (--watch.Waiters == 0 && !_disposed)
                {
                    watch.StartLinger();
                }
            }
        }
    }

    private void OnLingerEnded(Watch watch)
    {
        lock (_gate)
        {
            if (watch.Waiters > 0 || !_watches.Remove(watch.Key))
            {
                return;
            }
        }

        _ = watch.UnsubscribeAsync();
    }

    private sealed class Registration(WakeChannels owner, string waiter) : IDisposable
    {
        public void Dispose() => owner._fairWaiters.TryRemove(waiter, out _);
    }

    private sealed class Lease(WakeChannels owner, Watch[] watches) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(watches);
            }
        }
    }

    /// <summary>One key's subscription on every node, shared by all of this engine's waiters for the key.</summary>
    private sealed class Watch
    {
        private const int Remembered = 8;
        private readonly WakeChannels _owner;
        // One handler per node, so that a message says which node sent it.
        private readonly Action<RedisChannel, RedisValue>[] _handlers;
        private readonly RedisChannel _channel;
        private const int Signalled = -1;
        private readonly RedisValue[] _seen = new RedisValue[Remembered];
        private readonly int[] _counts = new int[Remembered];
        private readonly List<(ISubscriber Subscriber, Action<RedisChannel, RedisValue> Handler)> _subscribed = [];
        private ITimer? _linger;
        private int _next;
        private int _started;
        private readonly bool _turnsOnly;
        private bool _closed;

        public Watch(WakeChannels owner, RedisKey key)
            : this(owner, key, ChannelFor(key), turnsOnly: false)
        {
        }

        private Watch(WakeChannels owner, RedisKey key, RedisChannel channel, bool turnsOnly)
        {
            _owner = owner;
            Key = key;
            _channel = channel;
            _turnsOnly = turnsOnly;
            _handlers = new Action<RedisChannel, RedisValue>[owner._nodes.Count];
            for (var i = 0; i < _handlers.Length; i++)
            {
                var node = i;
                _handlers[i] = (_, message) => OnMessage(message, node);
            }
        }

        public RedisKey Key { get; }

        /// <summary>A watch on an engine's turn channel (no key): only messages that name a fair waiter mean anything there.</summary>
        public static Watch ForTurns(WakeChannels owner, RedisChannel channel) => new(owner, default, channel, turnsOnly: true);

        // Under the owner's gate.
        public int Waiters { get; set; }

        // Under the owner's gate.
        public void StartLinger() =>
            _linger = TimeProvider.System.CreateTimer(static s => { var w = (Watch)s!; w._owner.OnLingerEnded(w); }, this, Linger, Timeout.InfiniteTimeSpan);

        // Under the owner's gate, or after the watch was removed.
        public void CancelLinger()
        {
            _linger?.Dispose();
            _linger = null;
        }

        /// <summary>
        /// Counts one node's announcement of the release of <paramref name="token"/> (each node that deleted the key
        /// publishes once). True once, when <paramref name="needed"/> nodes have announced it: the key is then free on a
        /// quorum, so the woken attempt can succeed. Waking on the first node's message could spend the attempt while the
        /// other deletes are still on their way, and the waiter would then sleep until its next poll.
        /// </summary>
        public bool Announced(RedisValue token, int needed)
        {
            lock (_seen)
            {
                var index = Array.IndexOf(_seen, token);
                if (index < 0)
                {
                    index = _next;
                    _seen[index] = token;
                    _counts[index] = 0;
                    _next = (_next + 1) % Remembered;
                }

                if (_counts[index] < 0)
                {
                    return false;
                }

                _counts[index]++;
                if (_counts[index] < needed)
                {
                    return false;
                }

                _counts[index] = Signalled;
                return true;
            }
        }

        /// <summary>True unless <paramref name="token"/>'s release already woke a waiter; from now on its messages are ignored.</summary>
        public bool MarkSignalled(RedisValue token)
        {
            lock (_seen)
            {
                var index = Array.IndexOf(_seen, token);
                if (index >= 0 && _counts[index] < 0)
                {
                    return false;
                }

                if (index < 0)
                {
                    index = _next;
                    _seen[index] = token;
                    _next = (_next + 1) % Remembered;
                }

                _counts[index] = Signalled;
                return true;
            }
        }

        /// <summary>
        /// Subscribes on every node, once: at once where the connection is open, and when it opens on a node still
        /// connecting (a fresh engine's first waiter). A release that lands between a waiter's failed attempt and the
        /// first confirmed subscription is missed, and costs that waiter one poll; waking it on confirmation instead
        /// would spend one of its retries on a lock nobody released.
        /// </summary>
        public void EnsureSubscribed()
        {
            if (Interlocked.Exchange(ref _started, 1) != 0)
            {
                return;
            }

            for (var i = 0; i < _owner._nodes.Count; i++)
            {
                var node = _owner._nodes[i];
                var handler = _handlers[i];
                if (node.Connection is { } connection)
                {
                    SubscribeOn(connection, handler);
                }
                else
                {
                    node.WhenConnected(c => SubscribeOn(c, handler));
                }
            }
        }

        private void SubscribeOn(IConnectionMultiplexer connection, Action<RedisChannel, RedisValue> handler)
        {
            lock (_subscribed)
            {
                if (_closed)
                {
                    return;
                }
            }

            try
            {
                var subscriber = connection.GetSubscriber();
                subscriber.SubscribeAsync(_channel, handler).ContinueWith(
                    t =>
                    {
                        if (!t.IsCompletedSuccessfully)
                        {
                            _ = t.Exception;
                            return;
                        }

                        lock (_subscribed)
                        {
                            if (_closed)
                            {
                                // Unsubscribed before this node confirmed: drop the late subscription too.
                                _ = subscriber.UnsubscribeAsync(_channel, handler).ContinueWith(static u => _ = u.Exception, TaskScheduler.Default);
                                return;
                            }

                            _subscribed.Add((subscriber, handler));
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            catch (Exception e) when (e is RedisException or ObjectDisposedException)
            {
                // This node cannot tell us: its waiters still poll.
            }
        }

        public async Task UnsubscribeAsync()
        {
            (ISubscriber Subscriber, Action<RedisChannel, RedisValue> Handler)[] subscribed;
            lock (_subscribed)
            {
                _closed = true;
                subscribed = [.. _subscribed];
                _subscribed.Clear();
            }

            foreach (var (subscriber, handler) in subscribed)
            {
                try
                {
                    await subscriber.UnsubscribeAsync(_channel, handler).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or ObjectDisposedException or TimeoutException)
                {
                    // The connection is gone, and the subscription with it; or the node is too slow to confirm, and
                    // nobody waits for this key any more: stray messages are ignored.
                }
            }
        }

        private void OnMessage(RedisValue message, int node)
        {
            var text = (string?)message;
            if (text is not null && text.StartsWith("g:", StringComparison.Ordinal))
            {
                // A node handed the lock to the head of its queue: once a quorum has, for one release, the waiter holds it.
                // Short of that, the copy still counts as a release, so that a quorum of releases, some naming the waiter
                // without handing over (a node that lost its queue in a restart), wakes it to try.
                var parts = text[2..].Split(' ');
                if (parts.Length == 4
                    && _owner._fairWaiters.TryGetValue(parts[0], out var handed)
                    && long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var attempt)
                    && long.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                    && (handed.Queue.HandedOver(node, parts[1], attempt, ms, _owner._nodes.Quorum)
                        || _owner.CountRelease(handed.Ticket.Keys[0], parts[1], this)))
                {
                    _owner._line.Wake(handed.Ticket);
                }

                return;
            }

            if (text is not null && text.StartsWith("w:", StringComparison.Ordinal))
            {
                // A fair release names the head of the queue, and the released token: wake that waiter if it is ours,
                // nobody else, once a quorum of nodes has named it (as for a plain release, the key is then free on a
                // quorum). One copy per node arrives; an attempt woken by the first would mostly meet the others' deletes
                // still on their way, and the copies after it would wake the waiter again for nothing.
                var space = text.IndexOf(' ', 2);
                var waiter = space < 0 ? text[2..] : text[2..space];
                if (_owner._fairWaiters.TryGetValue(waiter, out var named)
                    && (space < 0 || _owner.CountRelease(named.Ticket.Keys[0], text[(space + 1)..], this)))
                {
                    _owner._line.Wake(named.Ticket);
                }

                return;
            }

            if (!_turnsOnly && Announced(message, _owner._nodes.Quorum))
            {
                _owner._line.Signal(Key);
            }
        }
    }
}
