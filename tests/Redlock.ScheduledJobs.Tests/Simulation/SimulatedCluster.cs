using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.Scheduling;
using RedlockAspects.Scheduling.Execution;

namespace RedlockAspects.ScheduledJobs.Tests.Simulation;

/// <summary>
/// Instances of a service running one <c>AddScheduledJob</c> job, each its own host, Redlock engine and connections,
/// on fake clocks driven along one true timeline; the locks and done markers are real keys on real nodes.
/// <para>
/// The job's scheduler tells the driver (through its internal probe) when each of its strands (the schedule loop,
/// one occurrence's handling) waits on its clock and until when. The driver waits until every strand of every live
/// instance is waiting, takes the earliest due time in true time, lets that much time pass on every clock and on
/// every key under the run's prefix (each key's remaining life shortens by the same amount), and lets the due strands
/// run. Minutes of schedule pass in moments, and no test depends on how fast the machine is.
/// </para>
/// <para>
/// A kill disposes the instance's engine in the middle of a body (its connections close: no release, no further
/// extension, so its keys expire by their TTL) and stops its clock; its strands are forgotten.
/// </para>
/// </summary>
public sealed class SimulatedCluster
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly SimulationSetup _setup;
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Dictionary<object, Strand> _strands = [];
    private readonly List<Incarnation> _all = [];
    private readonly Incarnation?[] _live;
    private readonly Dictionary<int, DateTimeOffset> _restartAt = [];
    private readonly List<string> _kills = [];
    private readonly Random _random;
    private readonly OccurrenceTally _tally = new();
    private DateTimeOffset _trueNow;
    private bool _stopping;

    private SimulatedCluster(SimulationSetup setup)
    {
        _setup = setup;
        _live = new Incarnation?[setup.Skews.Count];
        _random = new Random(setup.Seed);
        _trueNow = setup.TrueStart;
    }

    public static string NameOf(int index) => ((char)('A' + index)).ToString();

    public static async Task<SimulationResult> RunAsync(SimulationSetup setup)
    {
        var cluster = new SimulatedCluster(setup);
        var schedule = new CronOccurrence(setup.Cron);
        var maxSkew = setup.Skews.Max(s => s.Duration());
        var first = setup.FirstOccurrence ?? schedule.Next(setup.TrueStart + maxSkew + TimeSpan.FromSeconds(1));
        var occurrences = new List<DateTimeOffset> { first };
        while (occurrences.Count < setup.Occurrences)
        {
            occurrences.Add(schedule.Next(occurrences[^1]));
        }

        var options = new ScheduledJobOptions();
        setup.Configure?.Invoke(options);

        // Long enough after the last occurrence for every instance to fire it and finish watching it.
        var end = occurrences[^1] + maxSkew + options.MaxFiringDelay + options.RecoveryWindow + 2 * options.LockTtl;

        await using var keys = await NodeKeys.ConnectAsync(setup.Nodes);
        try
        {
            for (var i = 0; i < setup.Skews.Count; i++)
            {
                await cluster.StartInstanceAsync(i);
            }

            await cluster.DriveAsync(end, elapsed => keys.AgeAsync(cluster._prefix, elapsed));
        }
        finally
        {
            await cluster.StopAllAsync();
        }

        return new SimulationResult(
            cluster._tally,
            occurrences,
            cluster._kills.ToArray(),
            setup.Skews.Select((s, i) => (NameOf(i), s)).ToDictionary(p => p.Item1, p => p.s));
    }

    private async Task StartInstanceAsync(int index)
    {
        var name = NameOf(index);
        Incarnation incarnation;
        lock (_gate)
        {
            incarnation = new Incarnation(index, name, new FakeTimeProvider(_trueNow + _setup.Skews[index]));
            _live[index] = incarnation;
            _all.Add(incarnation);
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "sim." + name });
        var services = builder.Services;
        services.AddRedlock(o =>
        {
            foreach (var node in _setup.Nodes.ConnectionStrings)
            {
                o.Nodes.Add(node);
            }

            o.KeyPrefix = _prefix;
        });
        services.AddSingleton<ISchedulingProbe>(new Probe(this, incarnation));
        services.AddSingleton<IScheduledJobObserver>(new Observer(this, incarnation));
        services.AddScheduledJob("job", _setup.Cron, (context, ct) => BodyAsync(incarnation, context, ct), o =>
        {
            _setup.Configure?.Invoke(o);
            o.Clock = incarnation.Clock;
        });

        incarnation.Host = builder.Build();
        await EngineWarmup.WaitUntilReadyAsync(incarnation.Host.Services.GetRequiredService<IRedlock>(), name);
        await incarnation.Host.StartAsync();
    }

    private async Task BodyAsync(Incarnation incarnation, ScheduledJobContext context, CancellationToken ct)
    {
        _tally.Started(context.Occurrence, incarnation.Name);
        var plan = _setup.Body?.Invoke(incarnation.Name, context) ?? BodyPlan.Complete;
        if (plan == BodyPlan.Complete && _setup.KillChance + _setup.KillAfterCompletionChance > 0)
        {
            lock (_gate)
            {
                // At most one instance down at a time, so someone is always there to recover.
                var draw = _random.NextDouble();
                if (_live.All(i => i is not null))
                {
                    plan = draw < _setup.KillChance ? BodyPlan.KillInstance
                        : draw < _setup.KillChance + _setup.KillAfterCompletionChance ? BodyPlan.KillAfterCompleting
                        : BodyPlan.Complete;
                }
            }
        }

        switch (plan)
        {
            case BodyPlan.KillAfterCompleting:
                _tally.Completed(context.Occurrence, incarnation.Name);
                _tally.KilledAfterCompleting(context.Occurrence);
                await KillAsync(incarnation, context.Occurrence);
                await Task.Delay(Timeout.Infinite, ct);
                return;
            case BodyPlan.KillInstance:
                await KillAsync(incarnation, context.Occurrence);
                await Task.Delay(Timeout.Infinite, ct);
                return;
            case BodyPlan.Throw:
                throw new InvalidOperationException($"{incarnation.Name}: the job failed for {context.Occurrence:HH:mm:ss}");
            default:
                _tally.Completed(context.Occurrence, incarnation.Name);
                return;
        }
    }

    private async Task KillAsync(Incarnation incarnation, DateTimeOffset occurrence)
    {
        // The connections close under the running body: nothing is released and nothing extended any more.
        await incarnation.Host!.Services.GetRequiredService<RedlockEngine>().DisposeAsync();
        lock (_gate)
        {
            incarnation.Dead = true;
            _live[incarnation.Index] = null;
            foreach (var strand in _strands.Where(s => s.Value.Owner == incarnation).Select(s => s.Key).ToArray())
            {
                _strands.Remove(strand);
            }

            if (_setup.RestartAfter is { } after)
            {
                _restartAt[incarnation.Index] = _trueNow + after;
            }

            _kills.Add($"{incarnation.Name} killed running {occurrence:HH:mm:ss} at true {_trueNow:HH:mm:ss.fff}");
        }

        _changed.Release();
    }

    private async Task DriveAsync(DateTimeOffset end, Func<TimeSpan, Task> letTimePassOnNodes)
    {
        while (true)
        {
            await WaitUntilIdleAsync();
            TimeSpan elapsed;
            int[] restarts;
            Incarnation[] live;
            lock (_gate)
            {
                var waiting = _strands.Values.Where(s => s.Until is not null).ToArray();
                var dues = waiting.Select(s => s.TrueDue).Concat(_restartAt.Values).ToArray();
                if (dues.Length == 0)
                {
                    return;
                }

                var next = dues.Min();
                if (next > end)
                {
                    return;
                }

                if (next < _trueNow)
                {
                    throw new InvalidOperationException($"A strand waits for {next:O} in true time, which has already passed ({_trueNow:O}).");
                }

                foreach (var strand in waiting.Where(s => s.TrueDue <= next))
                {
                    strand.Until = null;
                }

                restarts = _restartAt.Where(r => r.Value <= next).Select(r => r.Key).ToArray();
                foreach (var index in restarts)
                {
                    _restartAt.Remove(index);
                }

                elapsed = next - _trueNow;
                _trueNow = next;
                live = _live.OfType<Incarnation>().ToArray();
            }

            // Nothing runs now, so the keys can age undisturbed; then the clocks move and the due timers fire.
            await letTimePassOnNodes(elapsed);
            foreach (var incarnation in live)
            {
                incarnation.Clock.Advance(elapsed);
            }

            foreach (var index in restarts)
            {
                await StartInstanceAsync(index);
            }
        }
    }

    private async Task WaitUntilIdleAsync()
    {
        var deadline = DateTime.UtcNow + IdleTimeout;
        while (true)
        {
            lock (_gate)
            {
                if (_strands.Values.All(s => s.Until is not null))
                {
                    return;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left))
            {
                string states;
                lock (_gate)
                {
                    states = string.Join(", ", _strands.Values.Select(s => $"{s.Owner.Name}: {(s.Until is null ? "running" : "waiting")}"));
                }

                throw new TimeoutException($"The instances did not all become idle within {IdleTimeout.TotalSeconds} s ({states}).");
            }
        }
    }

    private async Task StopAllAsync()
    {
        Incarnation[] all;
        lock (_gate)
        {
            _stopping = true;
            all = _all.ToArray();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Task.WhenAll(all.Where(i => i.Host is not null).Select(i => i.Host!.StopAsync(timeout.Token)));
        foreach (var incarnation in all)
        {
            incarnation.Host?.Dispose();
        }
    }

    private void OnStarted(Incarnation owner, object strand)
    {
        lock (_gate)
        {
            if (owner.Dead || _stopping)
            {
                return;
            }

            _strands[strand] = new Strand(owner);
        }

        _changed.Release();
    }

    private void OnWaiting(Incarnation owner, object strand, DateTimeOffset until)
    {
        lock (_gate)
        {
            if (!owner.Dead && _strands.TryGetValue(strand, out var state))
            {
                state.Until = until;
                state.TrueDue = until - _setup.Skews[owner.Index];
            }
        }

        _changed.Release();
    }

    private void OnEnded(Incarnation owner, object strand)
    {
        lock (_gate)
        {
            _strands.Remove(strand);
        }

        _changed.Release();
    }

    private void OnReport(Incarnation owner, OccurrenceReport report)
    {
        lock (_gate)
        {
            if (owner.Dead || _stopping)
            {
                return;
            }
        }

        _tally.Reported(owner.Name, report);
    }

    private sealed class Incarnation(int index, string name, FakeTimeProvider clock)
    {
        public int Index { get; } = index;

        public string Name { get; } = name;

        public FakeTimeProvider Clock { get; } = clock;

        public IHost? Host { get; set; }

        public bool Dead { get; set; }
    }

    private sealed class Strand(Incarnation owner)
    {
        public Incarnation Owner { get; } = owner;

        // Set while the strand waits on its clock; null while it runs.
        public DateTimeOffset? Until { get; set; }

        public DateTimeOffset TrueDue { get; set; }
    }

    private sealed class Probe(SimulatedCluster cluster, Incarnation owner) : ISchedulingProbe
    {
        public void Started(object strand) => cluster.OnStarted(owner, strand);

        public void Waiting(object strand, DateTimeOffset until) => cluster.OnWaiting(owner, strand, until);

        public void Ended(object strand) => cluster.OnEnded(owner, strand);
    }

    private sealed class Observer(SimulatedCluster cluster, Incarnation owner) : IScheduledJobObserver
    {
        public void OnOccurrence(OccurrenceReport report) => cluster.OnReport(owner, report);
    }
}
