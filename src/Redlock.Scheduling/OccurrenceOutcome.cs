namespace RedlockAspects.Scheduling;

/// <summary>What one instance did about one occurrence. Each instance reports each occurrence it fired once.</summary>
public enum OccurrenceOutcome
{
    /// <summary>This instance took the occurrence on its first try and the job completed.</summary>
    RanHere,

    /// <summary>
    /// Another instance had it: the occurrence was done already, or its lock stayed held until this instance's
    /// recovery window closed (or recovery is off).
    /// </summary>
    RanElsewhere,

    /// <summary>
    /// The occurrence was held by another instance whose lock then expired without the occurrence being marked done
    /// (it died mid-run); this instance took it over and the job completed.
    /// </summary>
    Recovered,

    /// <summary>
    /// This instance took the occurrence and the job failed on every attempt, ran past <see cref="ScheduledJobOptions.MaxRunTime"/>,
    /// lost its lock, or was stopped; or no quorum of nodes could be reached.
    /// </summary>
    Failed,
}
