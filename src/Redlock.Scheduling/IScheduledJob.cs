namespace RedlockAspects.Scheduling;

/// <summary>
/// A job run on a cron schedule by <c>services.AddScheduledJob&lt;TJob&gt;(...)</c>: at most one instance runs each
/// occurrence at a time, and a completed occurrence is not run again. Resolved from a new DI scope per run.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Runs one occurrence.</summary>
    /// <param name="context">Which occurrence, which attempt, and why it runs here.</param>
    /// <param name="cancellationToken">
    /// Cancelled when the instance stops, when <see cref="ScheduledJobOptions.MaxRunTime"/> is up, or when the lock is
    /// lost (another instance may then take the occurrence over): stop promptly when it fires.
    /// </param>
    /// <returns>A task that completes when the occurrence's work is done.</returns>
    Task RunAsync(ScheduledJobContext context, CancellationToken cancellationToken);
}
