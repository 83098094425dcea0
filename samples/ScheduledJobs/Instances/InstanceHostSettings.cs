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

    // A Redlock configuration section to register the engine from (ConfigureRedlock then adds to it); null for none.
    public IConfigurationSection? RedlockSection { get; init; }

    public bool Naive { get; init; }

    // The fixed mode's two numbers (AddScheduledJob derives the rest from them).
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromSeconds(5);

    // The occurrence lock's TTL: how soon the occurrence of an instance that died mid-run can be taken over.
    public TimeSpan LockTtl { get; init; } = TimeSpan.FromSeconds(1);

    // --kill-one; off unless the demo sets it.
    public KillSwitch Kill { get; init; } = KillSwitch.Off;

    public DigestWorkOptions Work { get; init; } = new();

    // The "Logging" configuration section; none means no log output at all.
    public IConfiguration? Logging { get; init; }

    // Registers a different IDigestJob (the tests use jobs with other lock settings).
    public Action<IServiceCollection>? RegisterJob { get; init; }
}
