using Microsoft.Extensions.Logging;
using RedlockAspects.Scheduling;
using ScheduledJobs.Instances;
using ScheduledJobs.Jobs;

namespace ScheduledJobs.Scheduling;

// A cron loop as every instance of the service runs it: wait on its own clock for the next occurrence, name the
// occurrence from that clock, and call the job. Nothing here knows about other instances; the lock does.
public sealed partial class JobScheduler(
    InstanceIdentity identity,
    CronOccurrence schedule,
    OccurrenceWindow window,
    TimeProvider clock,
    IDigestJob job,
    DigestWork work,
    IRunObserver observer,
    ILogger<JobScheduler> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            // Start just before the window, so Next() lands on its first occurrence even if this instance starts late.
            var cursor = window.First - TimeSpan.FromTicks(1);
            while (true)
            {
                var due = schedule.Next(cursor);
                if (due > window.Last)
                {
                    return;
                }

                // The timer is set before we say we are armed: a test driver that moves the clock on hearing it
                // must not be able to get in between.
                var wait = WaitUntilAsync(due, ct);
                observer.Armed(identity.Name, due);
                await wait;

                observer.Completed(await RunOnceAsync(due, ct));
                cursor = due;
            }
        }
        finally
        {
            observer.Finished(identity.Name);
        }
    }

    private Task WaitUntilAsync(DateTimeOffset due, CancellationToken ct)
    {
        var delay = due - clock.GetUtcNow();
        return delay > TimeSpan.Zero ? Task.Delay(delay, clock, ct) : Task.CompletedTask;
    }

    private async Task<RunRecord> RunOnceAsync(DateTimeOffset occurrence, CancellationToken ct)
    {
        var firedAt = clock.GetUtcNow();

        // The occurrence is the one this timer was set for, however late it fires (a slow start, a long pause):
        // every instance names it the same way from its own schedule. Code that is only told "run now", without
        // the due time, would name it with schedule.Current(clock) instead, which agrees only while the firing is
        // less than half a period off.
        var before = work.Runs(occurrence);
        try
        {
            await job.RunAsync(occurrence, ct);
            var outcome = work.Runs(occurrence) > before ? RunOutcome.Ran : RunOutcome.Skipped;
            return new RunRecord(identity.Name, occurrence, firedAt, outcome);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogFailed(logger, identity.Name, occurrence, e);
            // A body that started and then threw still ran: the occurrence was taken.
            var ran = work.Runs(occurrence) > before;
            return new RunRecord(identity.Name, occurrence, firedAt, ran ? RunOutcome.Ran : RunOutcome.Failed, e.GetType().Name + ": " + e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {Instance}: the job for {Occurrence:O} failed")]
    private static partial void LogFailed(ILogger logger, string instance, DateTimeOffset occurrence, Exception exception);
}
