namespace RedlockAspects.Scheduling.Execution;

/// <summary>The job's wall clock, with waits a test probe can see.</summary>
internal sealed class JobClock(TimeProvider time, ISchedulingProbe? probe)
{
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

    public Task DelayUntilAsync(object strand, DateTimeOffset until, CancellationToken cancellationToken) =>
        DelayAsync(strand, until - time.GetUtcNow(), cancellationToken);
}
