namespace ScheduledJobs.Scheduling;

// One instance's attempt at one occurrence. FiredAt is the instance's own (possibly skewed) clock.
public sealed record RunRecord(string Instance, DateTimeOffset Occurrence, DateTimeOffset FiredAt, RunOutcome Outcome, string? Error = null);
