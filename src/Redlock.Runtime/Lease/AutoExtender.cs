using RedlockAspects.Algorithm;

namespace RedlockAspects;

/// <summary>
/// Keeps a lease alive in the background: extends it every interval, retries sooner while an extension goes
/// unconfirmed, gives up at the maximum hold, and marks the lease lost when validity runs out first.
/// <see cref="StopAsync"/> waits for an extension in flight, so none can land after the release.
/// </summary>
internal sealed class AutoExtender
{
    private readonly RedlockLease _lease;
    private readonly TimeSpan _interval;
    private readonly TimeSpan? _maxHold;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AutoExtender(RedlockLease lease, TimeSpan interval, TimeSpan? maxHold)
    {
        _lease = lease;
        _interval = interval > TimeSpan.Zero ? interval : TimeSpan.FromMilliseconds(1);
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
        var delay = _interval;
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
                outcome = new ExtendOutcome(ExtendResult.Unconfirmed, [], 0, TimeSpan.Zero);
            }

            switch (outcome.Result)
            {
                case ExtendResult.Extended:
                    delay = _interval;
                    break;
                case ExtendResult.Lost:
                    return;
                default:
                    var left = _lease.RemainingValidity;
                    if (left <= TimeSpan.Zero)
                    {
                        _lease.MarkLost("automatic extension could not reach a quorum before the validity ran out");
                        return;
                    }

                    // Try again well before the validity runs out.
                    var sooner = left / 3;
                    delay = sooner < _interval ? sooner : _interval;
                    break;
            }
        }
    }
}
