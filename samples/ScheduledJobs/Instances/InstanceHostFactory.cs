using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedlockAspects.Scheduling;
using ScheduledJobs.Jobs;
using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Instances;

// One instance of "the service": its own generic host, its own Redlock engine and connections, its own clock.
public static class InstanceHostFactory
{
    public const string JobName = "digest";

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
            var level = Enum.TryParse<LogLevel>(logging["LogLevel:RedlockAspects"], out var configured) ? configured : LogLevel.Warning;
            builder.Logging.AddFilter("RedlockAspects", l => l >= level && !settings.Kill.IsDead(spec.Name));
        }

        var services = builder.Services;
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        if (settings.RedlockSection is { } section)
        {
            services.AddRedlock(section).Configure(settings.ConfigureRedlock);
        }
        else
        {
            services.AddRedlock(settings.ConfigureRedlock);
        }

        services.AddSingleton(new InstanceIdentity(spec.Name));
        services.AddSingleton(settings.Work);
        services.AddSingleton(settings.Kill);
        services.AddSingleton<DigestWork>();
        if (settings.Naive || settings.RegisterJob is not null)
        {
            AddHandWrittenScheduler(services, spec, settings);
        }
        else
        {
            // The whole fix: one registration. The instance's clock drives the schedule only; lock timing stays on
            // the engine's clock (the machine's monotonic one), whatever the wall clock says.
            services.AddScheduledJob<DigestJob>(settings.Schedule.Expression, o =>
            {
                o.Name = JobName;
                o.MaxClockSkew = settings.MaxClockSkew;
                o.MaxRunTime = settings.MaxRunTime;
                o.LockTtl = settings.LockTtl;
                o.Clock = spec.Clock;
            });
            services.AddSingleton<IScheduledJobObserver>(new JournalObserver(spec.Name, settings.Window, settings.Observer));
        }

        return builder.Build();
    }

    // The article's setup (--naive), and the tests' [DistributedLock] jobs: a hand-written cron loop calling IDigestJob.
    private static void AddHandWrittenScheduler(IServiceCollection services, InstanceSpec spec, InstanceHostSettings settings)
    {
        services.AddSingleton(settings.Schedule);
        services.AddSingleton(settings.Window);
        services.AddSingleton(settings.Observer);
        if (settings.RegisterJob is { } register)
        {
            register(services);
        }
        else
        {
            services.AddSingleton<IDigestJob, NaiveDigestJob>();
        }

        // Not registered as the TimeProvider, which the engine would pick up.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<JobScheduler>(sp, spec.Clock));
        services.AddHostedService<SchedulerService>();
    }
}
