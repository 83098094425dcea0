using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// First-come-first-served lines, one per key, for the waiters of one engine (one process). A waiter stands in the line
/// of every key it wants. It may try Redis only when nobody ahead of it in any of its lines still contends for that
/// line's key: a waiter whose last attempt found only other keys busy steps aside on this one, so a waiter for [K] is not
/// stuck behind a waiter for [K, L] while L is held elsewhere. Since every line orders waiters by the same arrival
/// order, the earliest waiter is always free to try, so the lines cannot deadlock. A release by this engine wakes the
/// first waiter that contends for the key at once; a new caller who finds a line joins its back instead of barging in.
/// Waiters in other processes still compete by polling, as Redlock does.
/// </summary>
internal sealed class LocalWaitLine
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RedisKey, LinkedList<Ticket>> _lines = [];
    private int _waiting;

    // Wake-ups given per key, striped: a caller compares them across its attempt (see SignalsFor).
    private readonly long[] _signals = new long[64];

    /// <summary>True when someone in this process is already waiting for any of <paramref name="keys"/>.</summary>
    public bool HasWaiters(RedisKey[] keys)
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            return false;
        }

        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_lines.ContainsKey(key))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Joins the back of the line of each of <paramref name="keys"/>.</summary>
    public Ticket Join(RedisKey[] keys)
    {
        var ticket = new Ticket(this, keys);
        lock (_gate)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (!_lines.TryGetValue(keys[i], out var line))
                {
                    line = new LinkedList<Ticket>();
                    _lines.Add(keys[i], line);
                }

                ticket.Places[i] = line.AddLast(ticket);
            }

            _waiting++;
        }

        return ticket;
    }

    /// <summary>
    /// How many wake-ups this line has been given for <paramref name="keys"/> (counted in 64 stripes, so an unrelated key
    /// rarely shares a count). A caller reads it before an attempt and again once it has joined the line: a change means a
    /// release may have come while it was between the two, when no ticket of its own could be woken, so it tries again
    /// rather than sleep through the hand-over.
    /// </summary>
    public long SignalsFor(RedisKey[] keys)
    {
        var sum = 0L;
        foreach (var key in keys)
        {
            sum += Interlocked.Read(ref _signals[Stripe(key)]);
        }

        return sum;
    }

    private static int Stripe(RedisKey key) => (key.GetHashCode() & int.MaxValue) % 64;

    /// <summary>Wakes the first waiter in the line for <paramref name="key"/> that contends for it, if any.</summary>
    /// <param name="key">The key that was released.</param>
    /// <param name="fairRelease">
    /// True when this engine released a fair lease: the nodes tell the head of the queue by name, so a waiter that is
    /// woken only by name (<see cref="Ticket.WakeOnlyByName"/>) is passed over. Woken now, it would only find that the
    /// head is someone else, and the attempt would keep it busy when its own turn comes.
    /// </param>
    public void Signal(RedisKey key, bool fairRelease = false)
    {
        Interlocked.Increment(ref _signals[Stripe(key)]);
        if (Volatile.Read(ref _waiting) == 0)
        {
            return;
        }

        TaskCompletionSource? sleeper;
        lock (_gate)
        {
            sleeper = WakeFirstContender(key, skipNamedOnly: fairRelease);
        }

        sleeper?.TrySetResult();
    }

    /// <summary>Wakes one particular waiter (a fair waiter whose turn a node announced).</summary>
    public void Wake(Ticket ticket)
    {
        foreach (var key in ticket.Keys)
        {
            Interlocked.Increment(ref _signals[Stripe(key)]);
        }

        TaskCompletionSource? sleeper;
        lock (_gate)
        {
            sleeper = ticket.Wake();
        }

        sleeper?.TrySetResult();
    }

    // Under the gate; the caller completes what it returns once outside.
    private TaskCompletionSource? WakeFirstContender(RedisKey key, bool skipNamedOnly = false)
    {
        if (_lines.TryGetValue(key, out var line))
        {
            for (var place = line.First; place is not null; place = place.Next)
            {
                if (place.Value.ContendsFor(key) && !(skipNamedOnly && place.Value.NamedOnly))
                {
                    return place.Value.Wake();
                }
            }
        }

        return null;
    }

    private bool IsFreeToTry(Ticket ticket)
    {
        lock (_gate)
        {
            for (var i = 0; i < ticket.Keys.Length; i++)
            {
                for (var ahead = ticket.Places[i]?.Previous; ahead is not null; ahead = ahead.Previous)
                {
                    if (ahead.Value.ContendsFor(ticket.Keys[i]))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    private void Leave(Ticket ticket)
    {
        List<TaskCompletionSource>? sleepers = null;
        lock (_gate)
        {
            if (ticket.Places[0] is null)
            {
                return;
            }

            for (var i = 0; i < ticket.Keys.Length; i++)
            {
                var line = ticket.Places[i]!.List!;
                line.Remove(ticket.Places[i]!);
                ticket.Places[i] = null;
                if (line.Count == 0)
                {
                    _lines.Remove(ticket.Keys[i]);
                }
                else if (ticket.WokenUnused)
                {
                    // The wake-up was meant for whoever contends for this key: pass it on.
                    if (WakeFirstContender(ticket.Keys[i]) is { } sleeper)
                    {
                        (sleepers ??= []).Add(sleeper);
                    }
                }
            }

            _waiting--;
        }

        if (sleepers is not null)
        {
            foreach (var sleeper in sleepers)
            {
                sleeper.TrySetResult();
            }
        }
    }

    /// <summary>One waiter's places in the lines of its keys. Dispose to leave them.</summary>
    internal sealed class Ticket : IDisposable
    {
        private readonly LocalWaitLine _owner;
        private TaskCompletionSource? _sleeping;
        private bool _pendingWake;
        private HashSet<RedisKey>? _busyKeys;

        public Ticket(LocalWaitLine owner, RedisKey[] keys)
        {
            _owner = owner;
            Keys = keys;
            Places = new LinkedListNode<Ticket>?[keys.Length];
        }

        public RedisKey[] Keys { get; }

        public LinkedListNode<Ticket>?[] Places { get; }

        /// <summary>True when nobody ahead of this waiter in any of its lines contends for that line's key.</summary>
        public bool IsFreeToTry => _owner.IsFreeToTry(this);

        /// <summary>True once this waiter stands in a fair queue across processes: only its turn, named by a node, wakes it.</summary>
        public bool NamedOnly { get; private set; }

        /// <summary>Marks this waiter as one that a fair release wakes only by name (it holds a place in the nodes' queue).</summary>
        public void WakeOnlyByName()
        {
            lock (_owner._gate)
            {
                NamedOnly = true;
            }
        }

        /// <summary>True when a wake-up arrived that this waiter has not acted on.</summary>
        public bool WokenUnused => _pendingWake;

        /// <summary>Records which of this waiter's keys its last attempt found busy; <c>null</c> when unknown (it then contends for all of them).</summary>
        public void SetBusyKeys(HashSet<RedisKey>? busyKeys)
        {
            lock (_owner._gate)
            {
                _busyKeys = busyKeys;
            }
        }

        /// <summary>Sleeps for <paramref name="delay"/>, or less if woken. A wake-up that came while awake returns at once.</summary>
        public async Task WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            TaskCompletionSource sleeping;
            lock (_owner._gate)
            {
                if (_pendingWake)
                {
                    _pendingWake = false;
                    return;
                }

                // Completed outside the gate by whoever wakes it, timer or cancellation, and the waiter's next attempt
                // runs on that thread: a hand-over then costs no hop to a parked thread, which on a busy machine may wait
                // a whole time slice for a core.
                sleeping = _sleeping = new TaskCompletionSource();
            }

            using (timeProvider.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), sleeping, delay, Timeout.InfiniteTimeSpan))
            using (cancellationToken.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), sleeping))
            {
                await sleeping.Task.ConfigureAwait(false);
            }

            lock (_owner._gate)
            {
                // A wake-up that came as the pause ended is served by the attempt that follows now.
                _pendingWake = false;
                _sleeping = null;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        public void Dispose() => _owner.Leave(this);

        // Under the gate. A waiter that has not tried yet, or failed for reasons other than a busy key, contends for all its keys.
        internal bool ContendsFor(RedisKey key) => _busyKeys is null || _busyKeys.Contains(key);

        // Under the gate. Returns the sleeping waiter's signal, for the caller to complete once outside the gate.
        internal TaskCompletionSource? Wake()
        {
            _pendingWake = true;
            var sleeper = _sleeping;
            _sleeping = null;
            return sleeper;
        }
    }
}
