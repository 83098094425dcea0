namespace RedlockAspects.Nodes;

/// <summary>
/// What the engine last learned about one node: whether it is up, its last round trip, and why it is down. Fed by the
/// commands the engine sends anyway (<see cref="Algorithm.QuorumRound{TResult}"/>) and by the connection's events, so
/// knowing costs no extra round trip. A change between up and down is reported once, to the observer
/// (<see cref="NodeWatch"/>), never per command.
/// </summary>
internal sealed class NodeHealth
{
    private readonly Lock _gate = new();
    private TimeProvider _time;
    private Action<NodeHealth, NodeHealthChange>? _changed;
    private RedlockNodeHealth _state;
    private long _since;
    private DateTimeOffset _sinceUtc;
    private long? _lastSeen;
    private DateTimeOffset? _lastSeenUtc;
    private TimeSpan? _roundTrip;
    private string? _detail;

    public NodeHealth(string node, TimeProvider? time = null)
    {
        Node = node;
        _time = time ?? TimeProvider.System;
        _since = _time.GetTimestamp();
        _sinceUtc = _time.GetUtcNow();
    }

    public string Node { get; }

    public RedlockNodeHealth State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <summary>Sets the engine's clock and who hears of changes; once, before the engine sends anything.</summary>
    public void Attach(TimeProvider time, Action<NodeHealth, NodeHealthChange> changed)
    {
        lock (_gate)
        {
            _time = time;
            _since = time.GetTimestamp();
            _sinceUtc = time.GetUtcNow();
            _changed = changed;
        }
    }

    /// <summary>The node answered a command sent at <paramref name="sentAt"/> (a timestamp of the engine's clock) in time.</summary>
    public void Answered(long sentAt, TimeSpan? roundTrip) => Observe(sentAt, RedlockNodeHealth.Up, roundTrip, null);

    /// <summary>A command sent at <paramref name="sentAt"/> failed, timed out or answered too late; or the connection dropped.</summary>
    public void Failed(long sentAt, string detail, TimeSpan? roundTrip = null) => Observe(sentAt, RedlockNodeHealth.Down, roundTrip, detail);

    /// <summary>
    /// Whether nothing has been heard from or about the node for longer than <paramref name="maxAge"/>, or it has not
    /// answered a command yet (an open connection says it is up, but not how fast it answers).
    /// </summary>
    public bool IsStale(TimeSpan maxAge)
    {
        lock (_gate)
        {
            return _lastSeen is not { } seen || _roundTrip is null || _time.GetElapsedTime(seen) > maxAge;
        }
    }

    public RedlockNodeStatus Snapshot()
    {
        lock (_gate)
        {
            return new RedlockNodeStatus(Node, _state, _roundTrip, _lastSeenUtc, _sinceUtc, _state == RedlockNodeHealth.Down ? _detail : null);
        }
    }

    public long Now() => _time.GetTimestamp();

    private void Observe(long sentAt, RedlockNodeHealth state, TimeSpan? roundTrip, string? detail)
    {
        NodeHealthChange? change = null;
        Action<NodeHealth, NodeHealthChange>? changed;
        lock (_gate)
        {
            // A command sent before the last change describes the node as it was then: a failure that straggles in
            // after a reconnect (or an answer after a drop) must not flip the state back. One that agrees still counts.
            if (sentAt < _since && state != _state)
            {
                return;
            }

            var now = _time.GetTimestamp();
            _lastSeen = now;
            _lastSeenUtc = _time.GetUtcNow();
            if (roundTrip is not null)
            {
                _roundTrip = roundTrip;
            }

            if (detail is not null)
            {
                _detail = detail;
            }

            if (state != _state)
            {
                change = new NodeHealthChange(_state, state, _time.GetElapsedTime(_since, now), detail, _roundTrip);
                _state = state;
                _since = now;
                _sinceUtc = _lastSeenUtc.Value;
            }

            changed = _changed;
        }

        if (change is { } c)
        {
            changed?.Invoke(this, c);
        }
    }
}

/// <summary>A node went up or down.</summary>
/// <param name="From">The state before.</param>
/// <param name="To">The state now.</param>
/// <param name="After">How long the node had been in <paramref name="From"/>.</param>
/// <param name="Detail">Why it went down; <c>null</c> when it came up.</param>
/// <param name="RoundTrip">The last round trip known.</param>
internal readonly record struct NodeHealthChange(RedlockNodeHealth From, RedlockNodeHealth To, TimeSpan After, string? Detail, TimeSpan? RoundTrip);
