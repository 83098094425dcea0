using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedlockAspects.Scheduling;
using RedlockAspects.Testing;
using ScheduledJobs.Instances;
using ScheduledJobs.Jobs;
using ScheduledJobs.Reporting;
using ScheduledJobs.Scheduling;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>
/// Instance hosts built exactly as the sample builds them (own engine and connections each), but not started: the
/// test calls their jobs itself, at the moments it needs.
/// </summary>
public sealed class Instances : IAsyncDisposable
{
    private readonly IHost[] _hosts;

    private Instances(IHost[] hosts, string keyPrefix)
    {
        _hosts = hosts;
        KeyPrefix = keyPrefix;
    }

    /// <summary>Every key these instances lock starts with this (node groups are shared between tests).</summary>
    public string KeyPrefix { get; }

    public static async Task<Instances> CreateAsync<TJob>(RedisTestNodes nodes, int count, DigestWorkOptions work)
        where TJob : class, IDigestJob
    {
        var prefix = $"t{Guid.NewGuid():N}:";
        var schedule = new CronOccurrence("*/30 * * * * *");
        var window = OccurrenceWindow.After(schedule, DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.Zero, 1);
        var settings = new InstanceHostSettings
        {
            Schedule = schedule,
            Window = window,
            Observer = new RunJournal([], []),
            ConfigureRedlock = o =>
            {
                foreach (var node in nodes.ConnectionStrings)
                {
                    o.Nodes.Add(node);
                }

                o.KeyPrefix = prefix;
            },
            Work = work,
            RegisterJob = services =>
            {
                services.AddSingleton<TJob>();
                services.AddSingleton<IDigestJob>(sp => sp.GetRequiredService<TJob>());
            },
        };

        var hosts = Enumerable.Range(0, count)
            .Select(i => InstanceHostFactory.Build(new InstanceSpec(InstanceSpec.NameOf(i), TimeSpan.Zero, TimeProvider.System), settings))
            .ToArray();
        for (var i = 0; i < hosts.Length; i++)
        {
            await EngineWarmup.WaitUntilReadyAsync(hosts[i].Services.GetRequiredService<IRedlock>(), InstanceSpec.NameOf(i));
        }

        return new Instances(hosts, prefix);
    }

    public TJob Job<TJob>(int instance)
        where TJob : notnull => _hosts[instance].Services.GetRequiredService<TJob>();

    public DigestWork Work(int instance) => _hosts[instance].Services.GetRequiredService<DigestWork>();

    public ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
