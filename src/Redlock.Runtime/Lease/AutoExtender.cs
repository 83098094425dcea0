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
    private readonly RedlockLease _lease;
    private readonly TimeSpan? _interval;
    private readonly TimeSpan? _maxHold;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

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

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var context = _lease.Context;
        var delay = NextDelay();
        while (true)
        {
            try
            {
                await Task.Delay(delay, context.TimeProvider, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_lease.IsReleasing || _lease.IsLost)
            {
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
                RedlockLog.ExtendUnconfirmed(context.Logger, _lease.Resource, e.Message);
                outcome = new ExtendOutcome(ExtendResult.Unconfirmed, [], 0);
            }

            if (outcome.Result == ExtendResult.Lost)
            {
                return;
            }

            if (outcome.Result != ExtendResult.Extended && _lease.RemainingValidity <= TimeSpan.Zero)
            {
                _lease.MarkLost("automatic extension could not reach a quorum before the validity ran out");
                return;
            }

            delay = NextDelay();
            if (outcome.Result != ExtendResult.Extended)
            {
                // Try again well before the validity runs out.
                var sooner = _lease.RemainingValidity / 3;
                delay = sooner < delay ? sooner : delay;
            }
        }
    }

    /// <summary>The interval, but never more than half the validity the lease has now.</summary>
    private TimeSpan NextDelay()
    {
        var interval = _interval ?? _lease.Ttl / 3;
        var half = _lease.RemainingValidity / 2;
        var delay = half < interval ? half : interval;
        return delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1);
    }
}
