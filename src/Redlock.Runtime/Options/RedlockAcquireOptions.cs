using RedlockAspects.Algorithm;

namespace RedlockAspects;

/// <summary>
/// Settings for one acquisition. Anything left unset falls back to <see cref="RedlockOptions"/>.
/// Instances are immutable once built, so one can be shared by every call site.
/// </summary>
public sealed class RedlockAcquireOptions
{
    /// <summary>The settings used when a call passes none.</summary>
    public static RedlockAcquireOptions Default { get; } = new();

    private readonly int? _retryCount;
    private readonly TimeSpan? _retryDelay;
    private readonly TimeSpan? _retryJitter;
    private readonly TimeSpan? _maxWait;
    private readonly TimeSpan? _maxHold;
    private readonly TimeSpan? _minHold;
    private readonly TimeSpan? _extendInterval;

    /// <summary>Overrides <see cref="RedlockOptions.RetryCount"/>; -1 means retry until the wait budget runs out.</summary>
    public int? RetryCount
    {
        get => _retryCount;
        init => _retryCount = value is < -1 ? throw new ArgumentOutOfRangeException(nameof(RetryCount), value, "RetryCount must be -1 (unbounded) or 0 or more.") : value;
    }

    /// <summary>Overrides <see cref="RedlockOptions.RetryDelay"/>; 0 to 1 hour.</summary>
    public TimeSpan? RetryDelay
    {
        get => _retryDelay;
        init => _retryDelay = SettingRanges.Check(value, SettingRanges.RetryDelay, nameof(RetryDelay));
    }

    /// <summary>Overrides <see cref="RedlockOptions.RetryJitter"/>; 0 to 1 hour.</summary>
    public TimeSpan? RetryJitter
    {
        get => _retryJitter;
        init => _retryJitter = SettingRanges.Check(value, SettingRanges.RetryJitter, nameof(RetryJitter));
    }

    /// <summary>Overrides <see cref="RedlockOptions.MaxWait"/>: the overall wait budget. <see cref="TimeSpan.Zero"/> means a single attempt.</summary>
    public TimeSpan? MaxWait
    {
        get => _maxWait;
        init => _maxWait = SettingRanges.Check(value, SettingRanges.MaxWait, nameof(MaxWait));
    }

    /// <summary>
    /// Give the lease a fencing token (<see cref="RedlockLease.FencingToken"/>) that grows with every fenced grant of the
    /// resource, over a quorum. Costs one more round trip per acquisition, and waits for every node that answers within
    /// <see cref="RedlockOptions.NodeTimeout"/>. Off by default; the lock key and value stay wire-compatible either way.
    /// </summary>
    public bool Fencing { get; init; }

    /// <summary>
    /// Wait in a queue that every node keeps, so that waiters in all processes are served in the order they arrived
    /// (docs/fairness.md). For one resource, without <see cref="Fencing"/> or <see cref="RedlockOptions.HolderName"/>. Every contender that should take its turn must
    /// ask for it; others (node <c>redlock</c>, or ours without it) are still excluded, but may take a free lock out of turn.
    /// Costs a script instead of a plain <c>SET</c> on the first attempt, and a ticket round trip once it has to wait. Off by default.
    /// </summary>
    public bool Fair { get; init; }

    /// <summary>Keep extending the lock in the background while it is held, so a short TTL is safe for long work. Off by default for direct engine calls.</summary>
    public bool AutoExtend { get; init; }

    /// <summary>
    /// With <see cref="AutoExtend"/>: stop extending after the lock has been held this long, so a stuck holder cannot keep it
    /// forever. 1 ms to 2,147,483,647 ms (about 24.8 days), like every lease duration.
    /// </summary>
    public TimeSpan? MaxHold
    {
        get => _maxHold;
        init => _maxHold = LeaseDurations.Check(value, nameof(MaxHold));
    }

    /// <summary>
    /// Keep the key alive at least this long after acquisition, even when released earlier: release then
    /// shortens the key's life to what is left instead of deleting it. With an occurrence in the key, this
    /// stops a late instance (clock skew) from running the same scheduled occurrence again.
    /// 1 ms to 2,147,483,647 ms (about 24.8 days): the key always keeps an expiry.
    /// </summary>
    public TimeSpan? MinHold
    {
        get => _minHold;
        init => _minHold = LeaseDurations.Check(value, nameof(MinHold));
    }

    /// <summary>
    /// With <see cref="AutoExtend"/>: how often to extend. Default a third of the current TTL. Whatever is set, the extender
    /// never waits more than half the validity the lease has, so an interval as long as the TTL cannot outrun it.
    /// </summary>
    public TimeSpan? ExtendInterval
    {
        get => _extendInterval;
        init => _extendInterval = LeaseDurations.Check(value, nameof(ExtendInterval));
    }

    /// <summary>
    /// Reentrancy within one async flow (on by default): when this flow already holds a live lease on the resources
    /// from the same engine, the acquisition returns that lease at once, with one more hold, and no round trip. Off,
    /// the request goes to Redis and waits like any other (see docs/aspects.md, "Nested calls").
    /// </summary>
    public bool Reentrant { get; init; } = true;
}
