using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedlockAspects.Scheduling.Execution;

namespace RedlockAspects.Scheduling.Tests;

public class RegistrationTests
{
    [Fact]
    public void Each_job_is_a_hosted_service_of_its_own()
    {
        var services = new ServiceCollection()
            .AddScheduledJob<NoopJob>("*/5 * * * * *")
            .AddScheduledJob("cleanup", "0 3 * * *", (_, _) => Task.CompletedTask);

        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IHostedService)));
        var names = services.Where(d => d.ServiceType == typeof(ScheduledJobDefinition)).Select(d => ((ScheduledJobDefinition)d.ImplementationInstance!).Name);
        Assert.Equal(["NoopJob", "cleanup"], names);
        Assert.Contains(services, d => d.ServiceType == typeof(NoopJob) && d.Lifetime == ServiceLifetime.Scoped);
    }

    [Fact]
    public void Two_jobs_with_one_name_are_refused()
    {
        var services = new ServiceCollection().AddScheduledJob("digest", "* * * * *", (_, _) => Task.CompletedTask);

        Assert.Throws<InvalidOperationException>(() => services.AddScheduledJob<NoopJob>("* * * * *", o => o.Name = "digest"));
    }

    [Theory]
    [InlineData("not cron")]
    [InlineData("61 * * * *")]
    public void A_bad_cron_expression_is_refused_at_registration(string cron)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddScheduledJob<NoopJob>(cron));
    }

    [Fact]
    public void Options_are_validated_at_registration()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddScheduledJob<NoopJob>("* * * * *", o => o.CatchUp = CatchUpPolicy.All));
    }

    [Fact]
    public void Keys_name_the_occurrence_in_utc_to_the_second()
    {
        var keys = OccurrenceKeys.For("digest", new DateTimeOffset(2025, 1, 6, 10, 0, 30, TimeSpan.FromHours(2)));

        Assert.Equal("jobs:digest:20250106080030", keys.Lock);
        Assert.Equal("jobs:digest:20250106080030:done", keys.Done);
    }

    private sealed class NoopJob : IScheduledJob
    {
        public Task RunAsync(ScheduledJobContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
