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

    /// <summary>Overrides <see cref="RedlockOptions.RetryDelay"/>.</summary>
    public TimeSpan? RetryDelay
    {
        get => _retryDelay;
        init => _retryDelay = NonNegative(value, nameof(RetryDelay));
    }

    /// <summary>Overrides <see cref="RedlockOptions.RetryJitter"/>.</summary>
    public TimeSpan? RetryJitter
    {
        get => _retryJitter;
        init => _retryJitter = NonNegative(value, nameof(RetryJitter));
    }

    /// <summary>Overrides <see cref="RedlockOptions.MaxWait"/>: the overall wait budget. <see cref="TimeSpan.Zero"/> means a single attempt.</summary>
    public TimeSpan? MaxWait
    {
        get => _maxWait;
        init => _maxWait = NonNegative(value, nameof(MaxWait));
    }

    /// <summary>Keep extending the lock in the background while it is held, so a short TTL is safe for long work. Off by default for direct engine calls.</summary>
    public bool AutoExtend { get; init; }

    /// <summary>With <see cref="AutoExtend"/>: stop extending after the lock has been held this long, so a stuck holder cannot keep it forever.</summary>
    public TimeSpan? MaxHold
    {
        get => _maxHold;
        init => _maxHold = Positive(value, nameof(MaxHold));
    }

    /// <summary>
    /// Keep the key alive at least this long after acquisition, even when released earlier: release then
    /// shortens the key's life to what is left instead of deleting it. With an occurrence in the key, this
    /// stops a late instance (clock skew) from running the same scheduled occurrence again.
    /// </summary>
    public TimeSpan? MinHold
    {
        get => _minHold;
        init => _minHold = Positive(value, nameof(MinHold));
    }

    /// <summary>With <see cref="AutoExtend"/>: how often to extend. Default a third of the TTL.</summary>
    public TimeSpan? ExtendInterval
    {
        get => _extendInterval;
        init => _extendInterval = Positive(value, nameof(ExtendInterval));
    }

    /// <summary>
    /// Reentrancy within one async flow (on by default): when this flow already holds a live lease on the resources
    /// from the same engine, the acquisition returns that lease at once, with one more hold, and no round trip. Off,
    /// the request goes to Redis and waits like any other (see docs/aspects.md, "Nested calls").
    /// </summary>
    public bool Reentrant { get; init; } = true;

    private static TimeSpan? NonNegative(TimeSpan? value, string name) =>
        value < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.") : value;

    private static TimeSpan? Positive(TimeSpan? value, string name) =>
        value <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero.") : value;
}
