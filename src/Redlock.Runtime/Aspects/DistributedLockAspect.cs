namespace RedlockAspects;

/// <summary>
/// The calls the generated <see cref="DistributedLockAttribute"/> wrappers make. Usable by hand as well. They go through
/// the engine, so a wrapper nested in another that holds the same key (in the same async flow) shares its lease unless
/// <see cref="DistributedLockAttribute.Reentrant"/> is off.
/// </summary>
public static class DistributedLockAspect
{
    /// <summary>Acquires the lock for one call of an <see cref="OnBusy.Throw"/> method, waiting as the settings say.</summary>
    /// <param name="redlock">The engine.</param>
    /// <param name="resource">The resource key the wrapper built.</param>
    /// <param name="settings">The method's settings.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The lease.</returns>
    /// <exception cref="RedlockBusyException">Another owner held the lock for the whole wait.</exception>
    /// <exception cref="RedlockNoQuorumException">Too few nodes could take part.</exception>
    public static Task<RedlockLease> AcquireAsync(IRedlock redlock, string resource, DistributedLockSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(settings);
        return redlock.AcquireAsync(resource, settings.Ttl, settings.AcquireOptions, cancellationToken);
    }

    /// <summary>Acquires the lock for one call of an <see cref="OnBusy.Skip"/> method: <c>null</c> means someone else is doing this work.</summary>
    /// <param name="redlock">The engine.</param>
    /// <param name="resource">The resource key the wrapper built.</param>
    /// <param name="settings">The method's settings.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The lease, or <c>null</c> to skip the body.</returns>
    /// <exception cref="RedlockNoQuorumException">Too few nodes could take part.</exception>
    public static Task<RedlockLease?> TryAcquireAsync(IRedlock redlock, string resource, DistributedLockSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(settings);
        return redlock.TryAcquireAsync(resource, settings.Ttl, settings.AcquireOptions, cancellationToken);
    }

    /// <summary>
    /// Turns the body's cancellation into <see cref="RedlockLostException"/> when the cause was the lost lock rather than
    /// the caller. Returns <c>null</c> when the exception should propagate unchanged.
    /// </summary>
    /// <param name="lease">The call's lease.</param>
    /// <param name="exception">What the body threw.</param>
    /// <param name="callerToken">The caller's own token.</param>
    /// <returns>The exception to throw instead, or <c>null</c>.</returns>
    public static RedlockLostException? TranslateLoss(RedlockLease lease, OperationCanceledException exception, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (callerToken.IsCancellationRequested || !lease.IsLost)
        {
            return null;
        }

        return new RedlockLostException(lease.Resources, lease.LostReason ?? "the lock was lost while the body ran", exception);
    }
}
