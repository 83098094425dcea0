namespace RedlockAspects;

/// <summary>
/// The settings of one <see cref="DistributedLockAttribute"/> method, built once by the generated code and shared by
/// every call. Immutable.
/// </summary>
public sealed class DistributedLockSettings
{
    /// <summary>Builds the settings from the attribute's values.</summary>
    /// <param name="ttlMs">The TTL in milliseconds; must be positive.</param>
    /// <param name="waitMs">The wait budget in milliseconds; 0 = one attempt, -1 = the engine's retry settings.</param>
    /// <param name="onBusy">What to do when busy.</param>
    /// <param name="autoExtend">Whether to extend in the background.</param>
    /// <param name="maxHoldMs">The maximum hold in milliseconds; 0 = none.</param>
    /// <param name="minHoldMs">The minimum hold in milliseconds; 0 = none.</param>
    /// <param name="fencing">Whether the lease gets a fencing token.</param>
    /// <param name="reentrant">Whether a nested call in the same async flow shares the lease it already holds.</param>
    public DistributedLockSettings(int ttlMs, int waitMs = DistributedLockAttributeNames.DefaultWaitMs, OnBusy onBusy = DistributedLockAttributeNames.DefaultOnBusy, bool autoExtend = DistributedLockAttributeNames.DefaultAutoExtend, int maxHoldMs = DistributedLockAttributeNames.DefaultMaxHoldMs, int minHoldMs = DistributedLockAttributeNames.DefaultMinHoldMs, bool fencing = DistributedLockAttributeNames.DefaultFencing, bool reentrant = DistributedLockAttributeNames.DefaultReentrant)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ttlMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitMs, -1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHoldMs);
        ArgumentOutOfRangeException.ThrowIfNegative(minHoldMs);
        if (!Enum.IsDefined(onBusy))
        {
            throw new ArgumentOutOfRangeException(nameof(onBusy), onBusy, "Unknown OnBusy value.");
        }

        Ttl = TimeSpan.FromMilliseconds(ttlMs);
        OnBusy = onBusy;
        AcquireOptions = new RedlockAcquireOptions
        {
            // An explicit wait budget replaces the retry count: keep trying until the budget is spent.
            RetryCount = waitMs >= 0 ? -1 : null,
            MaxWait = waitMs >= 0 ? TimeSpan.FromMilliseconds(waitMs) : null,
            AutoExtend = autoExtend,
            MaxHold = maxHoldMs > 0 ? TimeSpan.FromMilliseconds(maxHoldMs) : null,
            MinHold = minHoldMs > 0 ? TimeSpan.FromMilliseconds(minHoldMs) : null,
            Fencing = fencing,
            Reentrant = reentrant,
        };
    }

    /// <summary>The lock's time to live.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>What to do when busy.</summary>
    public OnBusy OnBusy { get; }

    /// <summary>The acquisition settings passed to the engine.</summary>
    public RedlockAcquireOptions AcquireOptions { get; }
}
