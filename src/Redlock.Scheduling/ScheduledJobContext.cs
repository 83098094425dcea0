namespace RedlockAspects.Scheduling;

/// <summary>What a job run is about.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Occurrence">The occurrence being run, as the schedule names it (the same on every instance).</param>
/// <param name="Attempt">1 for the first attempt in this instance, 2 and up for retries (<see cref="ScheduledJobOptions.MaxAttempts"/>).</param>
/// <param name="Recovery">
/// True when another instance took this occurrence first and its lock expired before the occurrence was marked done:
/// that instance may have done part (or, if it died right after finishing, all) of the work, so the job must be idempotent.
/// </param>
/// <param name="CatchUp">True when the occurrence was missed while the instance was down and is run on start-up.</param>
/// <param name="FencingToken">The occurrence lock's random token; pass it to storage that can reject writes from an older holder.</param>
public sealed record ScheduledJobContext(string Job, DateTimeOffset Occurrence, int Attempt, bool Recovery, bool CatchUp, string FencingToken);
