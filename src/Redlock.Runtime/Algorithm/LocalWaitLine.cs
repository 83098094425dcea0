using System.Collections.Concurrent;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// A first-come-first-served line per key for the waiters of one engine (one process). Only the waiter at the front
/// polls Redis; a release by this engine wakes it at once instead of leaving it asleep for its retry delay; and a new
/// caller who finds a line joins the back instead of barging in ahead of those already waiting. Waiters in other
/// processes still compete by polling, as Redlock does.
/// </summary>
internal sealed class LocalWaitLine
{
    private readonly ConcurrentDictionary<RedisKey, Line> _lines = new();

    /// <summary>True when someone in this process is already waiting for <paramref name="key"/>.</summary>
    public bool HasWaiters(RedisKey key) => !_lines.IsEmpty && _lines.ContainsKey(key);

    /// <summary>Joins the back of the line for <paramref name="key"/>.</summary>
    public Ticket Join(RedisKey key)
    {
        while (true)
        {
            var line = _lines.GetOrAdd(key, static k => new Line(k));
            lock (line)
            {
                // A line emptied and removed concurrently must not be joined; take the fresh one.
                if (!line.Closed)
                {
                    var ticket = new Ticket(this, line);
                    ticket.Node = line.Waiting.AddLast(ticket);
                    return ticket;
                }
            }
        }
    }

    /// <summary>Wakes the waiter at the front of the line for <paramref name="key"/>, if any.</summary>
    public void Signal(RedisKey key)
    {
        if (!_lines.IsEmpty && _lines.TryGetValue(key, out var line))
        {
            lock (line)
            {
                line.Waiting.First?.Value.Wake();
            }
        }
    }

    private void Leave(Ticket ticket)
    {
        var line = ticket.Line;
        lock (line)
        {
            if (ticket.Node is null)
            {
                return;
            }

            var wasFirst = line.Waiting.First == ticket.Node;
            line.Waiting.Remove(ticket.Node);
            ticket.Node = null;
            if (line.Waiting.Count == 0)
            {
                line.Closed = true;
                _lines.TryRemove(new KeyValuePair<RedisKey, Line>(line.Key, line));
            }
            else if (wasFirst && ticket.WokenUnused)
            {
                // The wake-up was meant for the front of the line: pass it on.
                line.Waiting.First!.Value.Wake();
            }
        }
    }

    internal sealed class Line(RedisKey key)
    {
        public RedisKey Key { get; } = key;

        public LinkedList<Ticket> Waiting { get; } = new();

        public bool Closed { get; set; }
    }

    /// <summary>One waiter's place in a line. Dispose to leave it.</summary>
    internal sealed class Ticket : IDisposable
    {
        private readonly LocalWaitLine _owner;
        private TaskCompletionSource? _sleeping;
        private bool _pendingWake;

        public Ticket(LocalWaitLine owner, Line line)
        {
            _owner = owner;
            Line = line;
        }

        public LinkedListNode<Ticket>? Node { get; set; }

        public bool IsFirst
        {
            get
            {
                lock (Line)
                {
                    return Line.Waiting.First == Node;
                }
            }
        }

        /// <summary>True when a wake-up arrived that this waiter has not acted on.</summary>
        public bool WokenUnused => _pendingWake;

        public Line Line { get; }

        /// <summary>Sleeps for <paramref name="delay"/>, or less if woken. A wake-up that came while awake returns at once.</summary>
        public async Task WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            TaskCompletionSource sleeping;
            lock (Line)
            {
                if (_pendingWake)
                {
                    _pendingWake = false;
                    return;
                }

                sleeping = _sleeping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, timeProvider, stop.Token);
            await Task.WhenAny(sleeping.Task, timer).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            lock (Line)
            {
                if (sleeping.Task.IsCompleted)
                {
                    _pendingWake = false;
                }

                _sleeping = null;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        public void Dispose() => _owner.Leave(this);

        // Called under the line's lock.
        internal void Wake()
        {
            _pendingWake = true;
            _sleeping?.TrySetResult();
        }
    }
}
