using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>What a <see cref="LockstepRun"/> simulates: instances with skewed clocks running one schedule on real nodes.</summary>
public sealed class LockstepSetup
{
    public required RedisTestNodes Nodes { get; init; }

    /// <summary>Each instance's clock error; instance i is named A, B, C, ...</summary>
    public required IReadOnlyList<TimeSpan> Skews { get; init; }

    public string Cron { get; init; } = "*/30 * * * * *";

    public int Occurrences { get; init; } = 3;

    /// <summary>Use the sample's naive job instead of its fixed one.</summary>
    public bool Naive { get; init; }

    /// <summary>Registers another <c>IDigestJob</c> instead of the sample's.</summary>
    public Action<IServiceCollection>? RegisterJob { get; init; }

    /// <summary>True time when the simulation starts; every instance's clock starts at this plus its skew.</summary>
    public DateTimeOffset TrueStart { get; init; } = new(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
}
