namespace RedlockAspects;

/// <summary>
/// Runs a partial method under a distributed lock. Declare the public signature as a <c>partial</c> method with this
/// attribute and write the body in <c>&lt;Name&gt;Core</c> with the same parameters (optionally one more trailing
/// <see cref="RedlockLease"/>); the source generator writes the wrapper that builds the key, acquires, calls the body
/// and releases. The class needs one <see cref="IRedlock"/> field, property or primary-constructor parameter.
/// </summary>
/// <example>
/// <code>
/// [DistributedLock("account:{accountId}", TtlMs = 1000)]
/// public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DistributedLockAttribute : Attribute
{
    /// <summary>Marks the method.</summary>
    /// <param name="keyTemplate">
    /// The resource key. Placeholders name parameters: <c>{accountId}</c> or <c>&lt;accountId&gt;</c>,
    /// <c>{order.Id}</c> for a member, <c>{when:yyyyMMddHHmm}</c> for a format; <c>{{</c> and <c>}}</c> are literal braces.
    /// Values are formatted with the invariant culture.
    /// </param>
    public DistributedLockAttribute(string keyTemplate)
    {
        KeyTemplate = keyTemplate;
    }

    /// <summary>The resource key template.</summary>
    public string KeyTemplate { get; }

    /// <summary>The lock's time to live in milliseconds. Required and positive; with <see cref="AutoExtend"/> it may be short even for long work.</summary>
    public int TtlMs { get; set; }

    /// <summary>How long to keep trying while the lock is busy, in milliseconds. 0 means one attempt; -1 (the default) uses the engine's retry settings.</summary>
    public int WaitMs { get; set; } = DistributedLockAttributeNames.DefaultWaitMs;

    /// <summary>What to do when another owner holds the lock.</summary>
    public OnBusy OnBusy { get; set; } = DistributedLockAttributeNames.DefaultOnBusy;

    /// <summary>Extend the lock in the background while the body runs. On by default.</summary>
    public bool AutoExtend { get; set; } = DistributedLockAttributeNames.DefaultAutoExtend;

    /// <summary>With <see cref="AutoExtend"/>, stop extending after this many milliseconds. 0 (the default) means no limit.</summary>
    public int MaxHoldMs { get; set; }

    /// <summary>Keep the key at least this many milliseconds after the start, even if the body finishes sooner. 0 (the default) releases at once.</summary>
    public int MinHoldMs { get; set; }

    /// <summary>
    /// Give each call's lease a fencing token that grows with every grant of the key; the body reads it from its optional
    /// trailing <see cref="RedlockLease"/> parameter (<see cref="RedlockLease.FencingToken"/>) and passes it to the store it
    /// writes, which refuses a token lower than one it has seen. Off by default (it costs one more round trip).
    /// </summary>
    public bool Fencing { get; set; }

    /// <summary>
    /// A call made while the same async flow already holds this key (a locked method calling a locked method) shares
    /// the held lease instead of waiting for itself. On by default; false restores the wait (it then ends with a
    /// <see cref="RedlockBusyException"/> that says the lock is held by this same flow).
    /// </summary>
    public bool Reentrant { get; set; } = DistributedLockAttributeNames.DefaultReentrant;
}
