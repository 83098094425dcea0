using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RedlockAspects.Scheduling;
using RedlockAspects.Scheduling.Execution;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers cron jobs that run in every instance through the registered <see cref="RedlockAspects.IRedlock"/>
/// (<c>services.AddRedlock(...)</c>): each occurrence runs in one instance, a finished occurrence is not run again
/// however the clocks are skewed, and an occurrence whose instance dies mid-run is taken over by another.
/// </summary>
public static class ScheduledJobServiceCollectionExtensions
{
    /// <summary>Runs <typeparamref name="TJob"/> (resolved from a new scope per run) on a cron schedule.</summary>
    /// <typeparam name="TJob">The job class; registered as scoped unless already registered.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="cron">Five fields, or six with seconds first (Cronos syntax), in <see cref="ScheduledJobOptions.TimeZone"/>.</param>
    /// <param name="configure">Sets <see cref="ScheduledJobOptions.MaxClockSkew"/>, <see cref="ScheduledJobOptions.MaxRunTime"/> and the rest.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentException">The cron expression or an option is invalid.</exception>
    /// <exception cref="InvalidOperationException">A job with the same name is already registered.</exception>
    /// <example><code>services.AddScheduledJob&lt;DigestJob&gt;("0 */5 * * * *", o => { o.MaxClockSkew = TimeSpan.FromSeconds(10); o.MaxRunTime = TimeSpan.FromMinutes(2); });</code></example>
    public static IServiceCollection AddScheduledJob<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TJob>(this IServiceCollection services, string cron, Action<ScheduledJobOptions>? configure = null)
        where TJob : class, IScheduledJob
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<TJob>();
        return Add(services, cron, configure, typeof(TJob).Name, static (sp, context, ct) => sp.GetRequiredService<TJob>().RunAsync(context, ct));
    }

    /// <summary>Runs a delegate on a cron schedule.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The job's name, used in its keys; the same on every instance.</param>
    /// <param name="cron">Five fields, or six with seconds first (Cronos syntax).</param>
    /// <param name="job">The work for one occurrence.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentException">The name, the cron expression or an option is invalid.</exception>
    /// <exception cref="InvalidOperationException">A job with the same name is already registered.</exception>
    public static IServiceCollection AddScheduledJob(
        this IServiceCollection services, string name, string cron, Func<ScheduledJobContext, CancellationToken, Task> job, Action<ScheduledJobOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return services.AddScheduledJob(name, cron, (_, context, ct) => job(context, ct), configure);
    }

    /// <summary>Runs a delegate, given the run's scoped services, on a cron schedule.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The job's name, used in its keys; the same on every instance.</param>
    /// <param name="cron">Five fields, or six with seconds first (Cronos syntax).</param>
    /// <param name="job">The work for one occurrence, with a scope's services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentException">The name, the cron expression or an option is invalid.</exception>
    /// <exception cref="InvalidOperationException">A job with the same name is already registered.</exception>
    public static IServiceCollection AddScheduledJob(
        this IServiceCollection services, string name, string cron, Func<IServiceProvider, ScheduledJobContext, CancellationToken, Task> job, Action<ScheduledJobOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(job);
        return Add(services, cron, o =>
        {
            o.Name = name;
            configure?.Invoke(o);
        }, name, job);
    }

    private static IServiceCollection Add(
        IServiceCollection services, string cron, Action<ScheduledJobOptions>? configure, string defaultName, Func<IServiceProvider, ScheduledJobContext, CancellationToken, Task> invoke)
    {
        var options = new ScheduledJobOptions();
        configure?.Invoke(options);
        options.Validate();
        var name = options.Name ?? defaultName;
        var definition = new ScheduledJobDefinition(name, new CronOccurrence(cron, options.TimeZone), options, invoke);

        // Two jobs with one name would share keys and skip each other's occurrences.
        if (services.Any(d => d.ServiceType == typeof(ScheduledJobDefinition) && d.ImplementationInstance is ScheduledJobDefinition other && other.Name == name))
        {
            throw new InvalidOperationException($"A scheduled job named '{name}' is already registered; give each job its own Name.");
        }

        services.AddSingleton(definition);
        services.AddSingleton<IHostedService>(sp => new ScheduledJobService(definition, sp));
        return services;
    }
}
