namespace RedlockAspects.Scheduling.Execution;

/// <summary>One registered job: its name, schedule, options, and how to run its body from a service scope.</summary>
internal sealed record ScheduledJobDefinition(
    string Name,
    CronOccurrence Schedule,
    ScheduledJobOptions Options,
    Func<IServiceProvider, ScheduledJobContext, CancellationToken, Task> Invoke);
