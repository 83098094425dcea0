using ScheduledJobs.Instances;
using ScheduledJobs.Reporting;
using ScheduledJobs.Scheduling;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>What every instance did about every occurrence of a <see cref="LockstepRun"/>.</summary>
public sealed record LockstepResult(IReadOnlyList<OccurrenceRow> Rows, Verdict Verdict, IReadOnlyList<InstanceSpec> Instances)
{
    /// <summary>When the record's instance fired, in true time (its own clock less its skew).</summary>
    public DateTimeOffset TrueFiredAt(RunRecord record) =>
        record.FiredAt - Instances.Single(i => i.Name == record.Instance).Skew;
}
