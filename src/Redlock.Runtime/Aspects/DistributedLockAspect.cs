namespace RedlockAspects;

/// <summary>The calls the generated <see cref="DistributedLockAttribute"/> wrappers make. Usable by hand as well.</summary>
public static class DistributedLockAspect
{
    /// <summary>
    /// Acquires the lock for one call. Returns <c>null</c> only for <see cref="OnBusy.Skip"/> when another owner holds it;
    /// with <see cref="OnBusy.Throw"/> a busy lock throws <see cref="RedlockBusyException"/>.
    /// </summary>
    /// <param name="redlock">The engine.</param>
    /// <param name="resource">The resource key the wrapper built.</param>
    /// <param name="settings">The method's settings.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The lease, or <c>null</c> to skip the body.</returns>
    public static Task<RedlockLease?> EnterAsync(IRedlock redlock, string resource, DistributedLockSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.OnBusy == OnBusy.Skip
            ? redlock.TryAcquireAsync(resource, settings.Ttl, settings.AcquireOptions, cancellationToken)
            : AsNullable(redlock.AcquireAsync(resource, settings.Ttl, settings.AcquireOptions, cancellationToken));
    }

    // Task<T> is not covariant in nullability; the object is the same either way.
    private static Task<RedlockLease?> AsNullable(Task<RedlockLease> task) => task!;

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
