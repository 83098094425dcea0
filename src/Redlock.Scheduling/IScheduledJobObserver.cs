namespace RedlockAspects.Scheduling;

/// <summary>
/// Hears every occurrence's outcome in this instance, once per occurrence (register any number as singletons).
/// Called on the job's own task: keep it quick, and do not throw (exceptions are logged and ignored).
/// </summary>
public interface IScheduledJobObserver
{
    /// <summary>An occurrence's outcome in this instance.</summary>
    /// <param name="report">The outcome.</param>
    void OnOccurrence(OccurrenceReport report);
}
