using Microsoft.Extensions.Hosting;

namespace ScheduledJobs.Scheduling;

// Runs the instance's scheduler for the life of its host.
public sealed class SchedulerService(JobScheduler scheduler) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => scheduler.RunAsync(stoppingToken);
}
