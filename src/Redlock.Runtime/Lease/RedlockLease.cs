using System.Diagnostics;
using RedlockAspects.Algorithm;
using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects;

/// <summary>
/// A held lock. One mutable handle for its whole life: extending updates this object, it does not make a new one.
/// Dispose it (or call <see cref="ReleaseAsync"/>) to release; both are idempotent and never throw for node failures.
/// </summary>
public sealed partial class RedlockLease : IAsyncDisposable
{
    private readonly EngineContext _context;
    private readonly RedisKey[] _keys;
    private readonly RedisValue _tokenValue;
    private readonly long _acquiredAt;
    private readonly TimeSpan? _minHold;
    private readonly AutoExtender? _extender;
    private readonly Lock _gate = new();
    // One extension at a time (automatic and manual): each one's belief rule assumes no other is in flight.
    private readonly SemaphoreSlim _extending = new(1, 1);
    private long _validUntil;
    private TimeSpan _ttl;
    internal const string ExpiredReason = "its validity ran out without a successful extension";
    private bool _lost;
    private bool _lossPending;
    private string? _lostReason;
    private string _lostKind = RedlockTelemetry.LostReasons.Expired;

    // An extension going unconfirmed is logged at Debug once, then at Trace until one is confirmed again: a node
    // outage must not turn every retry into a log line.
    private bool _unconfirmedLogged;
    private bool _expiredUnnoticed;
    private Task? _release;
    private CancellationTokenSource? _lostSource;
    private ITimer? _expiryWatch;

    // Taken through the fair queue: the release names the queue's head, so that only the waiter whose turn it is wakes.
    private readonly bool _fair;

    internal RedlockLease(
        EngineContext context,
        IReadOnlyList<string> resources,
        RedisKey[] keys,
        string token,
        TimeSpan ttl,
        TimeSpan expiry,
        RedlockAcquireOptions options,
        long acquiredAt,
        long validUntil,
        long? fencingToken = null,
        bool fair = false)
    {
        _fair = fair;
        _context = context;
        Resources = resources;
        _keys = keys;
        Token = token;
        _tokenValue = token;
        _ttl = ttl;
        _minHold = options.MinHold;
        _acquiredAt = acquiredAt;
        _validUntil = validUntil;
        FencingToken = fencingToken;
        AcquiredAt = context.TimeProvider.GetUtcNow() - context.TimeProvider.GetElapsedTime(acquiredAt);
        if (options.AutoExtend)
        {
            _extender = new AutoExtender(this, options.ExtendInterval, options.MaxHold);
        }
    }

    /// <summary>The first (usually the only) locked resource.</summary>
    public string Resource => Resources[0];

    /// <summary>Every locked resource.</summary>
    public IReadOnlyList<string> Resources { get; }

    /// <summary>
    /// The fencing token, when the lease was acquired with <see cref="RedlockAcquireOptions.Fencing"/>; otherwise <c>null</c>.
    /// For one resource, a lease granted after this one ended carries a larger token, so a store that refuses a token
    /// lower than the highest it has seen refuses a holder that paused past its lease and woke too late.
    /// </summary>
    public long? FencingToken { get; }

    /// <summary>The random token stored as the keys' value (128 bits, hex).</summary>
    public string Token { get; }

    /// <summary>The TTL used for extensions: the last one passed to <see cref="ExtendAsync"/>, else the acquisition's.</summary>
    public TimeSpan Ttl
    {
        get { lock (_gate) { return _ttl; } }
    }

    /// <summary>When the lock was acquired (the start of the successful attempt).</summary>
    public DateTimeOffset AcquiredAt { get; }

    /// <summary>
    /// Until when the lock is known to be valid, allowing for clock drift: the start of the winning attempt (or of the
    /// last extension) + TTL − drift. A confirmed extension moves it to its own start + TTL − drift, later or earlier;
    /// an extension that is not confirmed can only bring it earlier.
    /// </summary>
    public DateTimeOffset ValidUntil => _context.TimeProvider.GetUtcNow() + RemainingValidity;

    /// <summary>How much validity is left; zero or less means the lock can no longer be trusted.</summary>
    public TimeSpan RemainingValidity => _context.ToTimeSpan(Volatile.Read(ref _validUntil) - _context.TimeProvider.GetTimestamp());

    /// <summary>True when the lock is known lost (a quorum said the key is gone or someone else's) or presumed lost (validity ran out while held).</summary>
    public bool IsLost
    {
        get
        {
            lock (_gate)
            {
                return _lost || (_release is null && RemainingValidity <= TimeSpan.Zero);
            }
        }
    }

    /// <summary>Why the lock was lost, once it is.</summary>
    public string? LostReason
    {
        get
        {
            if (IsLost)
            {
                lock (_gate)
                {
                    return _lostReason ?? ExpiredReason;
                }
            }

            return null;
        }
    }

    /// <summary>True once release has begun.</summary>
    public bool IsReleased
    {
        get { lock (_gate) { return _release is not null; } }
    }

    /// <summary>
    /// Cancelled when the lock is known or presumed lost: when an extension finds the key gone on a quorum, or when
    /// validity runs out without a successful extension. Not cancelled by a normal release.
    /// </summary>
    public CancellationToken LostToken
    {
        get
        {
            CancellationToken token;
            lock (_gate)
            {
                if (_lostSource is null)
                {
                    _lostSource = new CancellationTokenSource();
                    if (!_lost && _release is null && RemainingValidity <= TimeSpan.Zero)
                    {
                        // Validity already ran out: the token must say so from its first read, as IsLost does.
                        MarkLostLocked(ExpiredReason, RedlockTelemetry.LostReasons.Expired, out _);
                    }

                    if (_lost)
                    {
                        // Nobody can have registered a callback yet, so this cannot throw.
                        _lostSource.Cancel();
                    }
                    else if (_release is null)
                    {
                        WatchExpiry(RemainingValidity);
                    }
                }

                token = _lostSource.Token;
            }

            FireLost();
            return token;
        }
    }

    /// <summary>The number of nodes the lock spans.</summary>
    internal int NodeCount => _context.Nodes.Count;

    internal EngineContext Context => _context;

    /// <summary>
    /// Sets the lock's life to <paramref name="ttl"/> (default: <see cref="Ttl"/>) from now, on a quorum. Updates this lease
    /// in place. A shorter TTL shortens the lease at once: from the moment the extension is sent, the lease believes no
    /// more than its start + the new TTL − drift, whether or not a quorum confirms it.
    /// </summary>
    /// <param name="ttl">The new time to live, or <c>null</c> for the current <see cref="Ttl"/>; same bounds as the acquisition's TTL.</param>
    /// <param name="cancellationToken">Stops waiting; the extension may still take effect on the nodes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is outside [1 ms, 2,147,483,647 ms], or too short to leave any validity after the drift allowance.</exception>
    /// <exception cref="RedlockLostException">The lock is lost.</exception>
    /// <exception cref="RedlockNoQuorumException">Too few nodes confirmed; the lock stays valid until <see cref="ValidUntil"/>.</exception>
    /// <exception cref="InvalidOperationException">The lease was already released.</exception>
    public async Task ExtendAsync(TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var checkedTtl = ttl is { } t ? LeaseDurations.CheckTtl(t, nameof(ttl), _context.DriftFactor, _context.MinValidity) : (TimeSpan?)null;
        lock (_gate)
        {
            ThrowIfNotHeld();
            if (checkedTtl is { } newTtl)
            {
                _ttl = newTtl;
            }
        }

        var outcome = await ExtendOnceAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

        // The TTL and validity may have changed: the automatic extender's next wait must follow them.
        _extender?.Nudge();
        switch (outcome.Result)
        {
            case ExtendResult.Extended:
                return;
            case ExtendResult.Lost:
                throw new RedlockLostException(Resources, LostReason ?? "the key is gone or has another owner on a quorum of nodes");
            default:
                throw new RedlockNoQuorumException(Resources, _context.Quorum, _context.Report(outcome.Replies), 1,
                    $"the extension was not confirmed by a quorum with validity left; the lock stays valid for {RemainingValidity.TotalMilliseconds:0} ms more");
        }
    }

    /// <summary>
    /// Releases the lock on every node: compare-and-delete, or, while a minimum hold is still running,
    /// compare-and-pexpire to what is left of it. Stops automatic extension first. Idempotent; node failures
    /// are logged, not thrown (the keys then expire on their own).
    /// </summary>
    /// <remarks>While nested holders share the lease (<see cref="HoldCount"/> above 1), each call drops one hold instead; the last one releases.</remarks>
    /// <param name="cancellationToken">Stops waiting; the release still goes out.</param>
    public Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        // Reentrancy: a nested holder's release only drops its hold; the last hold releases (RedlockLease.Holds.cs).
        if (!DropHold())
        {
            return Task.CompletedTask;
        }

        TaskCompletionSource? mine = null;
        Task release;
        lock (_gate)
        {
            if (_release is null)
            {
                // A lease whose validity ran out unnoticed (no extender, nobody watching LostToken) was lost all the
                // same: the release is the last moment to say so.
                _expiredUnnoticed = !_lost && RemainingValidity <= TimeSpan.Zero;
                mine = new TaskCompletionSource();
                _release = mine.Task;
            }

            release = _release;
        }

        // Started outside the lock: stopping the extender may run its continuations on this thread.
        if (mine is not null)
        {
            _ = RunReleaseAsync(mine);
        }

        return cancellationToken.CanBeCanceled ? release.WaitAsync(cancellationToken) : release;
    }

    /// <summary>Releases the lock; the same as <see cref="ReleaseAsync"/>.</summary>
    public ValueTask DisposeAsync() => new(ReleaseAsync());

    /// <inheritdoc />
    public override string ToString() =>
        $"RedlockLease({string.Join(", ", Resources)}; {(IsReleased ? "released" : IsLost ? "lost" : $"valid for {RemainingValidity.TotalMilliseconds:0} ms")})";

    /// <summary>
    /// Starts one extension round without waiting for it: for a lease whose keys were set for less than its TTL (a fair
    /// hand-over). The automatic extender, if any, then follows the new validity.
    /// </summary>
    internal void ExtendInBackground() =>
        ThreadPool.UnsafeQueueUserWorkItem(static lease => lease.ExtendNow(), this, preferLocal: false);

    // Off the caller's thread: the new holder's code should not wait for the extension's commands to be written.
    private void ExtendNow() =>
        ExtendOnceAsync().ContinueWith(
            static (t, s) =>
            {
                if (t.IsFaulted)
                {
                    _ = t.Exception;
                }
                else
                {
                    ((RedlockLease)s!)._extender?.Nudge();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>
    /// One extension round; updates validity, or marks the lease lost. Never throws for node failures. The lease may
    /// believe no more than the shortest life the keys may have after the attempt, so a shorter expiry is believed from
    /// the moment it is sent, and only a confirmed extension may move the belief later.
    /// </summary>
    internal async Task<ExtendOutcome> ExtendOnceAsync()
    {
        await _extending.WaitAsync().ConfigureAwait(false);
        try
        {
            TimeSpan expiry;
            lock (_gate)
            {
                expiry = _ttl;
            }

            var minHoldLeft = MinHoldLeft();
            if (minHoldLeft > expiry)
            {
                expiry = LeaseDurations.Check(minHoldLeft, nameof(RedlockAcquireOptions.MinHold));
            }

            var keepOldValidity = _context.Mutation == SafetyMutation.KeepValidityOnShorterExtension;
            var startedAt = _context.TimeProvider.GetTimestamp();
            var attempted = Validity.Deadline(_context, startedAt, expiry);
            lock (_gate)
            {
                if (_lost || _release is not null)
                {
                    return new ExtendOutcome(ExtendResult.Lost, [], attempted);
                }

                if (_validUntil <= startedAt)
                {
                    // Validity ran out before this extension began: the keys may be someone else's by now; never revive the belief.
                    MarkLostLocked(ExpiredReason, RedlockTelemetry.LostReasons.Expired, out _);
                }
                else if (attempted < _validUntil && !keepOldValidity)
                {
                    SetValidUntilLocked(attempted);
                }
            }

            if (IsLost)
            {
                // Marked here too, not only above: the validity may have run out since the reading above, and a lease
                // that is lost must be declared so (log, metric, LostToken) by whoever notices, here the extension.
                MarkLost(ExpiredReason, RedlockTelemetry.LostReasons.Expired);
                FireLost();
                return new ExtendOutcome(ExtendResult.Lost, [], attempted);
            }

            using var activity = RedlockTelemetry.StartSpan("redlock.extend", Resources);
            var outcome = await QuorumExtend.RunAsync(_context, _keys, _tokenValue, expiry, startedAt).ConfigureAwait(false);
            switch (outcome.Result)
            {
                case ExtendResult.Extended:
                    lock (_gate)
                    {
                        if (!_lost && (!keepOldValidity || outcome.ValidUntil > _validUntil))
                        {
                            SetValidUntilLocked(outcome.ValidUntil);
                        }

                        _unconfirmedLogged = false;
                    }

                    RedlockTelemetry.RecordExtension("extended", activity);
                    break;
                case ExtendResult.Lost:
                    var refused = outcome.Replies.Count(r => r.IsRefused);
                    RedlockTelemetry.RecordExtension("lost", activity);
                    MarkLost($"the key is gone or has another owner on {refused} of {_context.Nodes.Count} nodes", RedlockTelemetry.LostReasons.KeyGone);
                    break;
                default:
                    RedlockTelemetry.RecordExtension("unconfirmed", activity);
                    LogUnconfirmed(outcome.Replies);
                    break;
            }

            return outcome;
        }
        finally
        {
            _extending.Release();
        }
    }

    /// <summary>Marks the lease lost and fires <see cref="LostToken"/>, once.</summary>
    /// <param name="reason">Why, for people.</param>
    /// <param name="kind">Why, as one of <see cref="RedlockTelemetry.LostReasons"/>.</param>
    internal void MarkLost(string reason, string kind)
    {
        bool marked;
        lock (_gate)
        {
            MarkLostLocked(reason, kind, out marked);
        }

        if (marked)
        {
            FireLost();
        }
    }

    // Under the gate.
    private void MarkLostLocked(string reason, string kind, out bool marked)
    {
        marked = false;
        if (_lost || _release is not null)
        {
            return;
        }

        _lost = true;
        _lostReason = reason;
        _lostKind = kind;
        _expiryWatch?.Dispose();
        marked = true;
        _lossPending = true;
    }

    /// <summary>Logs the loss and cancels <see cref="LostToken"/>, once; outside the gate, since callbacks run inline.</summary>
    private void FireLost()
    {
        CancellationTokenSource? source;
        string reason;
        string kind;
        lock (_gate)
        {
            if (!_lossPending)
            {
                return;
            }

            _lossPending = false;
            source = _lostSource;
            reason = _lostReason ?? ExpiredReason;
            kind = _lostKind;
        }

        var held = HeldFor;
        RedlockLog.Lost(_context.Logger, Resource, held.TotalSeconds, reason);
        RedlockTelemetry.RecordLost(kind, held);
        if (source is null)
        {
            return;
        }

        try
        {
            source.Cancel();
        }
        catch (AggregateException e)
        {
            // A callback the user registered threw. The engine's own paths (extension, release, timers) must carry on.
            RedlockLog.LostCallbackFailed(_context.Logger, Resource, e.InnerExceptions.Count, e.InnerException?.Message ?? e.Message);
        }
    }

    internal TimeSpan HeldFor => _context.TimeProvider.GetElapsedTime(_acquiredAt);

    internal bool IsReleasing
    {
        get { lock (_gate) { return _release is not null; } }
    }

    private async Task RunReleaseAsync(TaskCompletionSource done)
    {
        // The span ends before the caller's await resumes, so whoever awaited the release sees it complete.
        var activity = RedlockTelemetry.StartSpan("redlock.release", Resources);
        try
        {
            await ReleaseCoreAsync(activity).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Release is best effort and must never hide the caller's own result or exception.
            RedlockLog.ReleaseError(_context.Logger, Resource, e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }
        finally
        {
            activity?.Dispose();
            done.TrySetResult();
        }
    }

    private async Task ReleaseCoreAsync(Activity? activity)
    {
        bool wasLost;
        bool expiredUnnoticed;
        lock (_gate)
        {
            expiredUnnoticed = _expiredUnnoticed;
            wasLost = _lost || expiredUnnoticed;
        }

        if (expiredUnnoticed)
        {
            RedlockLog.Lost(_context.Logger, Resource, HeldFor.TotalSeconds, ExpiredReason);
            RedlockTelemetry.RecordLost(RedlockTelemetry.LostReasons.Expired, HeldFor);
        }

        if (_extender is not null)
        {
            // The extension loop must be fully stopped first: an extension landing after the release would revive the key.
            await _extender.StopAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _expiryWatch?.Dispose();
        }

        var minHoldLeft = MinHoldLeftForRelease();
        var replies = minHoldLeft > TimeSpan.Zero
            ? await QuorumRelease.ShortenAsync(_context, _keys, _tokenValue, minHoldLeft).ConfigureAwait(false)
            : _fair
                ? await QuorumRelease.DeleteFairAsync(_context, _keys[0], _tokenValue).ConfigureAwait(false)
                : await QuorumRelease.DeleteAsync(_context, _keys, _tokenValue).ConfigureAwait(false);

        if (minHoldLeft <= TimeSpan.Zero)
        {
            foreach (var key in _keys)
            {
                _context.Wakes.Released(key, _tokenValue, _fair);
            }
        }

        // A node that answered "not ours" has nothing left to delete; only failures leave keys behind.
        var failures = replies.Count(r => r.IsFailure);
        RedlockTelemetry.RecordRelease(replies.Length - failures >= _context.Quorum ? "released" : "unconfirmed", HeldFor, wasLost, activity);
        if (failures > 0)
        {
            RedlockLog.ReleaseFailed(_context.Logger, Resource, _context.Nodes.Describe(replies));
        }
    }

    private void LogUnconfirmed(NodeReply[] replies)
    {
        bool first;
        lock (_gate)
        {
            first = !_unconfirmedLogged;
            _unconfirmedLogged = true;
        }

        var remaining = RemainingValidity.TotalMilliseconds;
        if (first)
        {
            RedlockLog.ExtendUnconfirmed(_context.Logger, Resource, _context.Nodes.Describe(replies), remaining);
        }
        else
        {
            RedlockLog.ExtendStillUnconfirmed(_context.Logger, Resource, _context.Nodes.Describe(replies), remaining);
        }
    }

    private TimeSpan MinHoldLeft() =>
        _minHold is { } minHold ? minHold - _context.TimeProvider.GetElapsedTime(_acquiredAt) : TimeSpan.Zero;

    /// <summary>What is left of the minimum hold, as a key life Redis accepts (at least 1 ms), or zero when it is over.</summary>
    private TimeSpan MinHoldLeftForRelease()
    {
        var left = MinHoldLeft();
        return left >= LeaseDurations.Minimum ? LeaseDurations.Check(left, nameof(RedlockAcquireOptions.MinHold)) : TimeSpan.Zero;
    }

    // Under the gate. A watch set for the old deadline would fire too late after a shortening: move it.
    private void SetValidUntilLocked(long validUntil)
    {
        var earlier = validUntil < _validUntil;
        Volatile.Write(ref _validUntil, validUntil);
        if (earlier && _expiryWatch is not null && !_lost && _release is null)
        {
            WatchExpiry(RemainingValidity);
        }
    }

    // Called under the lock.
    private void WatchExpiry(TimeSpan due)
    {
        _expiryWatch?.Dispose();
        _expiryWatch = _context.TimeProvider.CreateTimer(
            static s => ((RedlockLease)s!).OnExpiryWatch(), this, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnExpiryWatch()
    {
        lock (_gate)
        {
            if (_lost || _release is not null)
            {
                return;
            }

            var left = RemainingValidity;
            if (left > TimeSpan.Zero)
            {
                // Extended since the watch was set: look again when the new validity runs out.
                WatchExpiry(left);
                return;
            }
        }

        MarkLost(ExpiredReason, RedlockTelemetry.LostReasons.Expired);
    }

    private void ThrowIfNotHeld()
    {
        if (_release is not null)
        {
            throw new InvalidOperationException($"The lock on '{Resource}' was already released.");
        }

        if (_lost || RemainingValidity <= TimeSpan.Zero)
        {
            throw new RedlockLostException(Resources, _lostReason ?? ExpiredReason);
        }
    }
}
