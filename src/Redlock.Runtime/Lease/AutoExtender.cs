using System.Diagnostics;
using RedlockAspects.Algorithm;

namespace RedlockAspects;

/// <summary>
/// Keeps a lease alive in the background: extends it every interval, retries sooner while an extension goes
/// unconfirmed, gives up at the maximum hold, and marks the lease lost when validity runs out first. Each wait follows
/// the validity actually obtained, so neither a shorter TTL nor an interval as long as the TTL can outrun the lease.
/// <see cref="StopAsync"/> waits for an extension in flight, so none can land after the release.
/// </summary>
internal sealed class AutoExtender
{
    private const string NoQuorumReason = "automatic extension could not reach a quorum before the validity ran out";

    private readonly RedlockLease _lease;
    private readonly TimeSpan? _interval;
    private readonly TimeSpan? _maxHold;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _nudge = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="lease">The lease to keep alive.</param>
    /// <param name="interval">How often to extend; <c>null</c> for a third of the lease's current TTL.</param>
    /// <param name="maxHold">When to stop extending.</param>
    public AutoExtender(RedlockLease lease, TimeSpan? interval, TimeSpan? maxHold)
    {
        _lease = lease;
        _interval = interval;
        _maxHold = maxHold;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Cuts the current wait short, so that the next one follows the lease's new TTL and validity (after a manual extension).</summary>
    public void Nudge() => Volatile.Read(ref _nudge).TrySetResult();

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        // The loop outlives the acquire span it was started under: its extension spans are roots, not children of a
        // span that has already ended.
        Activity.Current = null;
        var context = _lease.Context;
        var delay = NextDelay(_lease.RemainingValidity);
        var unconfirmed = false;
        while (true)
        {
            var nudged = await WaitAsync(delay).ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (nudged)
            {
                // A manual extension just happened: only the schedule needs to follow it.
                delay = NextDelay(_lease.RemainingValidity);
                continue;
            }

            if (_lease.IsReleasing)
            {
                return;
            }

            if (_lease.IsLost)
            {
                // Validity ran out during the wait: say so (once; a lease already marked lost keeps its reason).
                if (unconfirmed)
                {
                    _lease.MarkLost(NoQuorumReason, RedlockTelemetry.LostReasons.NoQuorum);
                }
                else
                {
                    _lease.MarkLost(RedlockLease.ExpiredReason, RedlockTelemetry.LostReasons.Expired);
                }

                return;
            }

            if (_maxHold is { } maxHold && _lease.HeldFor >= maxHold)
            {
                // The lease keeps its current validity and is presumed lost when that runs out.
                RedlockLog.MaxHoldReached(context.Logger, _lease.Resource, maxHold.TotalMilliseconds);
                return;
            }

            ExtendOutcome outcome;
            try
            {
                outcome = await _lease.ExtendOnceAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                RedlockLog.ExtendUnconfirmed(context.Logger, _lease.Resource, e.Message, _lease.RemainingValidity.TotalMilliseconds);
                outcome = new ExtendOutcome(ExtendResult.Unconfirmed, [], 0);
            }

            if (outcome.Result == ExtendResult.Lost)
            {
                return;
            }

            // One reading of the validity for the whole decision: read again, it may have run out in between, and a
            // negative wait would end this loop with an exception instead of declaring the lease lost.
            var remaining = _lease.RemainingValidity;
            unconfirmed = outcome.Result != ExtendResult.Extended;
            if (unconfirmed && remaining <= TimeSpan.Zero)
            {
                _lease.MarkLost(NoQuorumReason, RedlockTelemetry.LostReasons.NoQuorum);
                return;
            }

            delay = NextDelay(remaining);
            if (unconfirmed)
            {
                // Try again well before the validity runs out.
                var sooner = remaining / 3;
                delay = sooner < delay ? sooner : delay;
            }
        }
    }

    /// <summary>Waits for <paramref name="delay"/>, a nudge or the stop; true when nudged.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay)
    {
        var nudge = Volatile.Read(ref _nudge);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var timer = Task.Delay(delay, _lease.Context.TimeProvider, stopWaiting.Token);
        var first = await Task.WhenAny(timer, nudge.Task).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        if (first != nudge.Task)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _nudge, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), nudge);
        return true;
    }

    /// <summary>The interval, but never more than half of <paramref name="remaining"/>, the validity the lease has now.</summary>
    private TimeSpan NextDelay(TimeSpan remaining)
    {
        var interval = _interval ?? _lease.Ttl / 3;
        var half = remaining / 2;
        var delay = half < interval ? half : interval;
        return delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1);
    }
}
