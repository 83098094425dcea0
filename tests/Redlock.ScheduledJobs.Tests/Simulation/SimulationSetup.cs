using RedlockAspects.Scheduling;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests.Simulation;

/// <summary>Instances (own host, engine and skewed fake clock each) running one scheduled job on real nodes.</summary>
public sealed class SimulationSetup
{
    public required RedisTestNodes Nodes { get; init; }

    /// <summary>Each instance's clock error; instance i is named A, B, C, ...</summary>
    public required IReadOnlyList<TimeSpan> Skews { get; init; }

    public string Cron { get; init; } = "*/30 * * * * *";

    /// <summary>How many occurrences the run covers (the first is far enough ahead that every instance is up).</summary>
    public int Occurrences { get; init; } = 3;

    /// <summary>The job's options (the harness sets the clock).</summary>
    public Action<ScheduledJobOptions>? Configure { get; init; }

    /// <summary>Decides what each body run does: (instance name, context) to plan.</summary>
    public Func<string, ScheduledJobContext, BodyPlan>? Body { get; init; }

    /// <summary>When set, a killed instance comes back (a new host, the same skew) this long after its death, in true time.</summary>
    public TimeSpan? RestartAfter { get; init; }

    /// <summary>The first occurrence the run checks; by default the first one after every instance is up.</summary>
    public DateTimeOffset? FirstOccurrence { get; init; }

    /// <summary>With <see cref="Seed"/>: the chance that a body run kills its instance mid-run (only while every instance is up).</summary>
    public double KillChance { get; init; }

    /// <summary>With <see cref="Seed"/>: the chance that a body completes and then its instance is killed before the done marker.</summary>
    public double KillAfterCompletionChance { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>True time when the simulation starts; every instance's clock starts at this plus its skew.</summary>
    public DateTimeOffset TrueStart { get; init; } = new(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
}
