using RedlockAspects.Scheduling;

namespace ScheduledJobs.Jobs;

// The job, as a service writes it: just the work. Which instance runs an occurrence, the skew defence (a done marker
// per occurrence), the short lock kept alive while it runs, and the recovery of an occurrence whose instance died
// mid-run all come from services.AddScheduledJob<DigestJob>(...) in Instances/InstanceHostFactory.cs.
public sealed class DigestJob(DigestWork work) : IScheduledJob
{
    public Task RunAsync(ScheduledJobContext context, CancellationToken cancellationToken) => work.DoAsync(context.Occurrence, cancellationToken);
}
