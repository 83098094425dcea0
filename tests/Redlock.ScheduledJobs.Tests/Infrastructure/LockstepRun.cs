using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RedlockAspects.Scheduling;
using ScheduledJobs.Instances;
using ScheduledJobs.Reporting;
using ScheduledJobs.Scheduling;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>
/// Runs the sample's instances (each its own host, engine and scheduler) on fake clocks, so that minutes of
/// schedule pass in moments, while the locks stay real.
/// <para>
/// One true timeline drives every clock. Each instance's clock reads true time plus its skew. The driver waits
/// until every instance is idle on its timer, finds the instance whose timer comes first in true time, lets
/// that much time pass everywhere at once — every clock moves by the same amount, and so do the lives of the
/// lock keys on the nodes — and then waits for that instance's run to finish before anything else happens.
/// Firings therefore happen in true-time order and never overlap, which is the seed article's situation: the
/// early instance has finished and released before the late one fires.
/// </para>
/// </summary>
public sealed class LockstepRun : IRunObserver
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Dictionary<string, Slot> _slots;
    private readonly RunJournal _journal;

    private LockstepRun(IReadOnlyList<InstanceSpec> instances, RunJournal journal)
    {
        _slots = instances.ToDictionary(i => i.Name, i => new Slot(i.Skew, (FakeTimeProvider)i.Clock));
        _journal = journal;
    }

    private enum Phase
    {
        Starting,
        Armed,
        Running,
        Finished,
    }

    public static async Task<LockstepResult> RunAsync(LockstepSetup setup)
    {
        var schedule = new CronOccurrence(setup.Cron);
        var maxSkew = setup.Skews.Max(s => s.Duration());
        var window = OccurrenceWindow.After(schedule, setup.TrueStart, maxSkew, TimeSpan.FromSeconds(1), setup.Occurrences);
        var instances = setup.Skews
            .Select((skew, i) => new InstanceSpec(InstanceSpec.NameOf(i), skew, new FakeTimeProvider(setup.TrueStart + skew)))
            .ToArray();
        var journal = new RunJournal(instances.Select(i => i.Name).ToArray(), window.Occurrences(schedule));
        var run = new LockstepRun(instances, journal);

        // A prefix of our own: node groups are shared between tests, and the driver ages every key under it.
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var keys = await NodeKeys.ConnectAsync(setup.Nodes);
        var settings = new InstanceHostSettings
        {
            Schedule = schedule,
            Window = window,
            Observer = run,
            ConfigureRedlock = o =>
            {
                foreach (var node in setup.Nodes.ConnectionStrings)
                {
                    o.Nodes.Add(node);
                }

                o.KeyPrefix = prefix;
            },
            Naive = setup.Naive,
            RegisterJob = setup.RegisterJob,
        };

        var hosts = instances.Select(i => InstanceHostFactory.Build(i, settings)).ToArray();
        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));
            for (var i = 0; i < hosts.Length; i++)
            {
                await EngineWarmup.WaitUntilReadyAsync(hosts[i].Services.GetRequiredService<IRedlock>(), instances[i].Name);
            }

            await run.DriveAsync(setup.TrueStart, elapsed => keys.AgeAsync(prefix, elapsed));
        }
        finally
        {
            await Task.WhenAll(hosts.Select(h => h.StopAsync()));
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }

        await journal.Completion.WaitAsync(IdleTimeout);
        return new LockstepResult(journal.Rows(), journal.Verdict(), instances);
    }

    void IRunObserver.Armed(string instance, DateTimeOffset due)
    {
        lock (_gate)
        {
            _slots[instance].Phase = Phase.Armed;
            _slots[instance].Due = due;
        }

        _changed.Release();
    }

    void IRunObserver.Completed(RunRecord record) => _journal.Completed(record);

    void IRunObserver.Finished(string instance)
    {
        lock (_gate)
        {
            _slots[instance].Phase = Phase.Finished;
        }

        _journal.Finished(instance);
        _changed.Release();
    }

    private async Task DriveAsync(DateTimeOffset trueStart, Func<TimeSpan, Task> letTimePassOnNodes)
    {
        var trueNow = trueStart;
        while (true)
        {
            await WaitUntilIdleAsync();
            TimeSpan elapsed;
            lock (_gate)
            {
                var armed = _slots.Values.Where(s => s.Phase == Phase.Armed).ToArray();
                if (armed.Length == 0)
                {
                    return;
                }

                var next = armed.Min(s => s.TrueDue);
                if (next < trueNow)
                {
                    throw new InvalidOperationException($"An instance armed for {next:O} in true time, which has already passed ({trueNow:O}).");
                }

                // Every instance due at that moment fires: equal skews fire together, as they would for real.
                foreach (var slot in armed.Where(s => s.TrueDue == next))
                {
                    slot.Phase = Phase.Running;
                }

                elapsed = next - trueNow;
                trueNow = next;
            }

            // Nothing runs now, so the nodes' keys can age undisturbed; then the clocks move and the due timers fire.
            await letTimePassOnNodes(elapsed);
            foreach (var slot in _slots.Values)
            {
                slot.Clock.Advance(elapsed);
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
                if (_slots.Values.All(s => s.Phase is Phase.Armed or Phase.Finished))
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
                    states = string.Join(", ", _slots.Select(s => $"{s.Key}: {s.Value.Phase}"));
                }

                throw new TimeoutException($"The instances did not all become idle within {IdleTimeout.TotalSeconds} s ({states}).");
            }
        }
    }

    private sealed class Slot(TimeSpan skew, FakeTimeProvider clock)
    {
        public FakeTimeProvider Clock { get; } = clock;

        public Phase Phase { get; set; } = Phase.Starting;

        public DateTimeOffset Due { get; set; }

        // The instance fires when its clock reads Due; its clock reads true time + skew.
        public DateTimeOffset TrueDue => Due - skew;
    }
}
