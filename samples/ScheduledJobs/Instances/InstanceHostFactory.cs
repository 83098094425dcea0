using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScheduledJobs.Jobs;
using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Instances;

// One instance of "the service": its own generic host, its own Redlock engine and connections, its own clock.
public static class InstanceHostFactory
{
    public static IHost Build(InstanceSpec spec, InstanceHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);

        // An empty builder: no appsettings lookup, no console lifetime messages, only what we add below.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "ScheduledJobs." + spec.Name });
        if (settings.Logging is { } logging)
        {
            builder.Logging.AddConfiguration(logging);
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        var services = builder.Services;
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.AddRedlock(settings.ConfigureRedlock);

        services.AddSingleton(new InstanceIdentity(spec.Name));
        services.AddSingleton(settings.Schedule);
        services.AddSingleton(settings.Window);
        services.AddSingleton(settings.Observer);
        services.AddSingleton(settings.Work);
        services.AddSingleton<DigestWork>();
        if (settings.RegisterJob is { } register)
        {
            register(services);
        }
        else if (settings.Naive)
        {
            services.AddSingleton<IDigestJob, NaiveDigestJob>();
        }
        else
        {
            services.AddSingleton<IDigestJob, DigestJob>();
        }

        // The instance's clock goes to its scheduler only. It is not registered as the TimeProvider, which the engine
        // would pick up: lock timing runs on the machine's monotonic clock, whatever the wall clock says.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<JobScheduler>(sp, spec.Clock));
        services.AddHostedService<SchedulerService>();
        return builder.Build();
    }
}
