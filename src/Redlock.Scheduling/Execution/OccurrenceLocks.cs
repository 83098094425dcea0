namespace RedlockAspects.Scheduling.Execution;

/// <summary>
/// The occurrence's lock and done marker, both on the registered <see cref="IRedlock"/>, so both live on the same
/// nodes with quorum semantics and no extra runtime API.
/// <para>
/// The done marker is a Redlock lease on <c>…:done</c> that is never released: SET NX PX on a quorum, gone by itself
/// after <see cref="ScheduledJobOptions.DoneRetention"/>. Only the holder of the occurrence's lock ever touches the
/// done key, so under the lock "can I take the done key?" is a safe read: busy means a marker is there. The probe
/// that finds it free is released at once (compare-and-delete with its own token, so it never removes a marker) and
/// has a TTL well under the lock's, so even a holder that dies between probe and release cannot leave it behind
/// for the next holder to mistake for a marker.
/// </para>
/// </summary>
internal sealed class OccurrenceLocks(IRedlock redlock, ScheduledJobOptions options)
{
    // One attempt: a busy key is an answer, not something to wait for.
    private static readonly RedlockAcquireOptions Once = new() { RetryCount = 0, MaxWait = TimeSpan.Zero };

    private const int MarkAttempts = 5;

    // Real time on purpose: this waits for nodes to answer, not for the schedule.
    private static readonly TimeSpan MarkRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly RedlockAcquireOptions _lockOptions = new()
    {
        RetryCount = 0,
        MaxWait = TimeSpan.Zero,

        // A short TTL kept alive while the body runs: the lock dies soon after its holder does, which is what lets
        // another instance recover the occurrence. Extension stops a little after MaxRunTime, when the body has
        // been cancelled, so a hung holder cannot keep it.
        AutoExtend = true,
        MaxHold = options.MaxRunTime + options.LockTtl,
    };

    private TimeSpan ProbeTtl => options.LockTtl / 4;

    public async Task<ClaimResult> ClaimAsync(OccurrenceKeys keys, CancellationToken cancellationToken)
    {
        var lease = await redlock.TryAcquireAsync(keys.Lock, options.LockTtl, _lockOptions, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return ClaimResult.Busy;
        }

        try
        {
            var probe = await redlock.TryAcquireAsync(keys.Done, ProbeTtl, Once, cancellationToken).ConfigureAwait(false);
            if (probe is null)
            {
                await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
                return ClaimResult.Done;
            }

            await probe.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            return new ClaimResult(ClaimState.Acquired, lease);
        }
        catch
        {
            await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Marks the occurrence done; call while holding its lock. Retries a missing quorum while the lock is still
    /// valid (nobody else can touch the key meanwhile). False when no quorum took the marker.
    /// </summary>
    public async Task<bool> MarkDoneAsync(OccurrenceKeys keys, RedlockLease held, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Deliberately not released: the lease's key is the marker. Null means a marker is there already.
                _ = await redlock.TryAcquireAsync(keys.Done, options.DoneRetention, Once, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RedlockNoQuorumException) when (attempt < MarkAttempts && held.RemainingValidity > MarkRetryDelay)
            {
                await Task.Delay(MarkRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (RedlockNoQuorumException)
            {
                return false;
            }
        }
    }
}
