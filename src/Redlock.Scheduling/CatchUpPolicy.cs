namespace RedlockAspects.Scheduling;

/// <summary>
/// What an instance does on start-up about occurrences that fell due while it was down (Quartz calls these misfire
/// policies). Occurrences that another instance already ran are skipped as usual: their done markers are still there.
/// </summary>
public enum CatchUpPolicy
{
    /// <summary>Missed occurrences are not run; the schedule starts with the next one.</summary>
    None,

    /// <summary>Run the latest occurrence within <see cref="ScheduledJobOptions.CatchUpWindow"/>, if there is one.</summary>
    Last,

    /// <summary>Run every occurrence within <see cref="ScheduledJobOptions.CatchUpWindow"/>, oldest first.</summary>
    All,
}
