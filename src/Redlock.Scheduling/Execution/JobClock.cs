namespace RedlockAspects.Scheduling.Execution;

/// <summary>The job's wall clock, with waits a test probe can see.</summary>
internal sealed class JobClock(TimeProvider time, ISchedulingProbe? probe)
{
    private static readonly TimeSpan LongestStep = TimeSpan.FromDays(1);

    public TimeProvider Time => time;

    public ISchedulingProbe? Probe => probe;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task DelayAsync(object strand, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        var until = time.GetUtcNow() + delay;

        // The timer is set before the probe hears of it, so a test that moves the clock on hearing cannot get in between.
        var wait = Task.Delay(delay, time, cancellationToken);
        probe?.Waiting(strand, until);
        await wait.ConfigureAwait(false);
    }

    // Waits until the clock reads `until`, in steps of at most a day: timers cannot wait much longer than 24 days (a
    // Feb 29 schedule waits years), and re-reading the wall clock after each step follows any correction made to it.
    public async Task DelayUntilAsync(object strand, DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (true)
        {
            var left = until - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await DelayAsync(strand, left < LongestStep ? left : LongestStep, cancellationToken).ConfigureAwait(false);
        }
    }
}
