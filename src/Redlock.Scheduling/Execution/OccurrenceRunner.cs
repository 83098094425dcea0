using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RedlockAspects.Scheduling.Execution;

/// <summary>
/// Handles one occurrence in one instance, from firing to its single outcome: take it and run it, find it done,
/// or find it held and, with recovery on, keep looking until the holder finishes (done) or dies (its short-TTL lock
/// expires without a done marker: take it over) or the recovery window closes.
/// </summary>
internal sealed class OccurrenceRunner(
    ScheduledJobDefinition job,
    OccurrenceLocks locks,
    JobClock clock,
    IServiceScopeFactory scopes,
    IReadOnlyList<IScheduledJobObserver> observers,
    ILogger logger)
{
    private ScheduledJobOptions Options => job.Options;

    /// <summary>Never throws: every way it ends is an outcome, reported once.</summary>
    public async Task<OccurrenceReport> RunAsync(object strand, DateTimeOffset occurrence, bool catchUp, CancellationToken cancellationToken)
    {
        var firedAt = clock.Now;
        try
        {
            return await HandleAsync(strand, occurrence, firedAt, catchUp, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Stopped while waiting, or the engine is gone: this instance did not run the occurrence.
            return Finish(new OccurrenceReport(job.Name, occurrence, OccurrenceOutcome.Failed, firedAt, 0, catchUp, e), null);
        }
    }

    private async Task<OccurrenceReport> HandleAsync(object strand, DateTimeOffset occurrence, DateTimeOffset firedAt, bool catchUp, CancellationToken cancellationToken)
    {
        var keys = OccurrenceKeys.For(job.Name, occurrence);
        var deadline = firedAt + Options.RecoveryWindow;
        var watched = false;
        while (true)
        {
            ClaimResult claim;
            try
            {
                claim = await locks.ClaimAsync(keys, cancellationToken).ConfigureAwait(false);
            }
            catch (RedlockNoQuorumException) when (Options.Recovery && clock.Now < deadline)
            {
                // Nobody can run it without a quorum; look again while the window lasts.
                await clock.DelayAsync(strand, Least(Options.LockTtl, deadline - clock.Now), cancellationToken).ConfigureAwait(false);
                continue;
            }

            switch (claim.State)
            {
                case ClaimState.Acquired:
                    return await ExecuteAsync(strand, claim.Lease!, keys, occurrence, firedAt, watched, catchUp, cancellationToken).ConfigureAwait(false);
                case ClaimState.Done:
                    return Finish(new OccurrenceReport(job.Name, occurrence, OccurrenceOutcome.RanElsewhere, firedAt, 0, catchUp), null);
                default:
                    if (!Options.Recovery || clock.Now >= deadline)
                    {
                        return Finish(new OccurrenceReport(job.Name, occurrence, OccurrenceOutcome.RanElsewhere, firedAt, 0, catchUp), null);
                    }

                    // Held elsewhere: look again once the lock could have expired, had its holder died.
                    watched = true;
                    await clock.DelayAsync(strand, Least(Options.LockTtl, deadline - clock.Now), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<OccurrenceReport> ExecuteAsync(
        object strand, RedlockLease lease, OccurrenceKeys keys, DateTimeOffset occurrence, DateTimeOffset firedAt, bool recovery, bool catchUp, CancellationToken cancellationToken)
    {
        var started = clock.Time.GetTimestamp();
        var attempts = 0;
        Exception? failure = null;
        try
        {
            using var maxRun = new CancellationTokenSource(Options.MaxRunTime, clock.Time);
            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.LostToken, maxRun.Token);
            while (true)
            {
                attempts++;
                try
                {
                    var scope = scopes.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        var context = new ScheduledJobContext(job.Name, occurrence, attempts, recovery, catchUp, lease.Token);
                        await job.Invoke(scope.ServiceProvider, context, run.Token).ConfigureAwait(false);
                    }

                    failure = null;
                    break;
                }
                catch (Exception e)
                {
                    failure = e;
                    if (run.IsCancellationRequested || attempts >= Options.MaxAttempts)
                    {
                        break;
                    }

                    SchedulingLog.Retrying(logger, job.Name, occurrence, attempts, Options.RetryDelay.TotalMilliseconds, e);
                    try
                    {
                        await clock.DelayAsync(strand, Options.RetryDelay, run.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            // Stopped or lost mid-run: not marked done, so that another instance can recover the occurrence.
            var abandoned = failure is not null && (cancellationToken.IsCancellationRequested || lease.IsLost);
            if (!abandoned && !await locks.MarkDoneAsync(keys, lease, CancellationToken.None).ConfigureAwait(false))
            {
                SchedulingLog.MarkFailed(logger, job.Name, occurrence);
            }
        }
        finally
        {
            await ReleaseQuietlyAsync(lease).ConfigureAwait(false);
        }

        var ran = clock.Time.GetElapsedTime(started);
        var outcome = failure is not null ? OccurrenceOutcome.Failed : recovery ? OccurrenceOutcome.Recovered : OccurrenceOutcome.RanHere;
        return Finish(new OccurrenceReport(job.Name, occurrence, outcome, firedAt, attempts, catchUp, failure), ran);
    }

    private static async Task ReleaseQuietlyAsync(RedlockLease lease)
    {
        try
        {
            await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or RedlockException)
        {
            // The engine is gone (the instance is shutting down): the lock expires on its own within its TTL.
        }
    }

    private OccurrenceReport Finish(OccurrenceReport report, TimeSpan? ran)
    {
        switch (report.Outcome)
        {
            case OccurrenceOutcome.RanHere:
                SchedulingLog.RanHere(logger, report.Job, report.Occurrence, report.Attempts);
                break;
            case OccurrenceOutcome.RanElsewhere:
                SchedulingLog.RanElsewhere(logger, report.Job, report.Occurrence);
                break;
            case OccurrenceOutcome.Recovered:
                SchedulingLog.Recovered(logger, report.Job, report.Occurrence);
                break;
            default:
                SchedulingLog.Failed(logger, report.Job, report.Occurrence, report.Attempts, report.Exception);
                break;
        }

        SchedulingTelemetry.Record(report, ran);
        foreach (var observer in observers)
        {
            try
            {
                observer.OnOccurrence(report);
            }
            catch (Exception e)
            {
                SchedulingLog.ObserverFailed(logger, report.Job, e);
            }
        }

        return report;
    }

    private static TimeSpan Least(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
