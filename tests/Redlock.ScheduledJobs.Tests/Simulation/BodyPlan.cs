namespace RedlockAspects.ScheduledJobs.Tests.Simulation;

/// <summary>What a simulated job body does when it starts.</summary>
public enum BodyPlan
{
    /// <summary>Completes at once (in simulated time).</summary>
    Complete,

    /// <summary>Throws.</summary>
    Throw,

    /// <summary>Its instance is killed mid-run: engine torn down without release, clock stopped, body never ends.</summary>
    KillInstance,

    /// <summary>The work completes, then the instance is killed before the scheduler can mark the occurrence done.</summary>
    KillAfterCompleting,
}
