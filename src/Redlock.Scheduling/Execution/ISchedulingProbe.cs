namespace RedlockAspects.Scheduling.Execution;

/// <summary>
/// Lets a test drive simulated time: it hears when each strand of a job's work (the schedule loop, or one
/// occurrence's handling) starts, waits on the job's clock, and ends, so it can advance the clocks only when every
/// strand is waiting. Not registered in production.
/// </summary>
internal interface ISchedulingProbe
{
    /// <summary>A new strand exists and is running (called before the code that created it goes on).</summary>
    void Started(object strand);

    /// <summary>The strand is waiting on the job's clock until <paramref name="until"/> (the timer is already set).</summary>
    void Waiting(object strand, DateTimeOffset until);

    /// <summary>The strand is finished.</summary>
    void Ended(object strand);
}
