using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RedlockAspects;
using RedlockAspects.Scheduling;
using ScheduledJobs.Jobs;
using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Instances;

// What every instance host shares: the schedule, the window, the nodes, who listens, and which job it runs.
public sealed class InstanceHostSettings
{
    public required CronOccurrence Schedule { get; init; }

    public required OccurrenceWindow Window { get; init; }

    public required IRunObserver Observer { get; init; }

    // Points the instance's engine at the nodes (and sets anything else, e.g. a key prefix in tests).
    public required Action<RedlockOptions> ConfigureRedlock { get; init; }

    public bool Naive { get; init; }

    public DigestWorkOptions Work { get; init; } = new();

    // The "Logging" configuration section; none means no log output at all.
    public IConfiguration? Logging { get; init; }

    // Registers a different IDigestJob (the tests use jobs with other lock settings).
    public Action<IServiceCollection>? RegisterJob { get; init; }
}
