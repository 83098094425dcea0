using System.Diagnostics;
using System.Globalization;
using RedlockAspects.IntegrationTests.Harness.OperationPlan;
using RedlockAspects.IntegrationTests.Infrastructure;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// One harness run: start the nodes, one engine per worker, the belief sampler, the key auditor and the fault
/// injector; run the workers' random operations; then end every fault, release everything, wait out every TTL and
/// minimum hold, and check what is left.
/// </summary>
internal static class HarnessRun
{
    public static async Task<HarnessReport> RunAsync(HarnessConfig config, string replayCommand, Action<string> log)
    {
        // Leftovers of earlier tests are not this run's to report.
        ExceptionAudit.FlushUnobserved();
        var violations = new Violations();
        using var audit = new ExceptionAudit(violations);

        // A LostToken callback that escapes onto a timer thread kills the test host before any report is printed;
        // leave the seed and the replay command on stderr, which the runner shows for a crashed host. Exiting (rather
        // than crashing) runs the ProcessExit handlers, so the redis-server children are killed, not orphaned.
        UnhandledExceptionEventHandler crash = (_, e) =>
        {
            Console.Error.WriteLine($"LeaseSafetyHarness: unhandled exception during seed {config.Seed}; replay: {replayCommand}{Environment.NewLine}{e.ExceptionObject}");
            Environment.Exit(70);
        };
        AppDomain.CurrentDomain.UnhandledException += crash;
        try
        {
            return await RunCoreAsync(config, violations, audit, log);
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= crash;
        }
    }

    private static async Task<HarnessReport> RunCoreAsync(HarnessConfig config, Violations violations, ExceptionAudit audit, Action<string> log)
    {
        await using var bed = await LockBed.StartAsync(config.Backend, config.Nodes, faultProxy: true, restartDelay: config.RestartDelay);
        var prefix = Names.Unique("harness");
        var resources = Enumerable.Range(0, config.Resources).Select(i => $"{prefix}:r{i}").ToArray();
        var engines = Enumerable.Range(0, config.Workers).Select(_ => bed.Engine(o =>
        {
            o.NodeTimeout = TimeSpan.FromMilliseconds(100);
            o.RetryDelay = TimeSpan.FromMilliseconds(5);
            o.RetryJitter = TimeSpan.FromMilliseconds(15);
            o.Mutation = config.Mutation;
        })).ToArray();

        using var monitor = new BeliefMonitor(resources, violations);
        var counters = new OperationCounters();
        var faults = new FaultInjector(config, bed.Nodes, log);
        var auditor = new KeyAuditor(bed, prefix, faults, violations);
        var workers = engines.Select((engine, i) => new HarnessWorker(i, engine, new RandomOps(config, i), resources, monitor, audit, counters, config.Operations, config.ShorteningAllowed)).ToArray();

        using var budget = new CancellationTokenSource(config.WallClockBudget);
        using var stopBackground = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var faultTask = Task.Run(() => faults.RunAsync(stopBackground.Token));
        var auditTask = Task.Run(() => auditor.RunAsync(stopBackground.Token));
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(budget.Token))));
        var duration = clock.Elapsed;
        var stoppedByBudget = budget.IsCancellationRequested;

        await stopBackground.CancelAsync();
        await faultTask;
        await auditTask;
        foreach (var worker in workers)
        {
            await worker.DisposeAbandonedAsync();
        }

        // Every lease is released; keys may still live out a minimum hold, a failed release or an orphaned attempt.
        await Task.Delay(config.LongestKeyLife + TimeSpan.FromMilliseconds(200));
        monitor.Dispose();
        foreach (var left in await auditor.LeftoversAsync(TimeSpan.FromSeconds(3)))
        {
            violations.Add(ViolationKind.KeyLeftBehind, left);
        }

        var intervalOverlaps = monitor.CheckIntervals();
        ExceptionAudit.FlushUnobserved();

        return new HarnessReport
        {
            Config = config,
            Duration = duration,
            StoppedByBudget = stoppedByBudget,
            Operations = counters.Operations,
            FairLeases = counters.FairAcquired,
            Leases = monitor.Leases,
            OperationDetail = string.Create(CultureInfo.InvariantCulture,
                $"acquired {counters.Acquired} ({counters.FairAcquired} through the fair queue), busy {counters.Busy}, no quorum {counters.NoQuorum}, cancelled {counters.Cancelled}, " +
                $"extended {counters.Extended} ({counters.ShorterExtensions} asked for a shorter TTL), extend failed {counters.ExtendFailed}, released {counters.Released}, " +
                $"abandoned {counters.Abandoned}, losses seen {counters.LostObserved}, throwing callbacks run {counters.CallbacksThrown}, nested acquisitions {counters.NestedShared} shared / {counters.NestedFromRedis} from Redis, expected exceptions {audit.Expected}"),
            Faults = faults.Total,
            FaultDetail = faults.Describe(),
            CheckDetail = string.Create(CultureInfo.InvariantCulture,
                $"{monitor.Samples} belief samples ({monitor.DiscardedSamples} discarded as preempted), {intervalOverlaps} interval overlaps, " +
                $"{auditor.Audits} node audits seeing {auditor.KeysSeen} keys ({auditor.Skipped} skipped), {audit.Unobserved} unobserved task exceptions"),
            ViolationCount = violations.Total,
            ViolationsByKind = violations.Counts,
            Examples = violations.Examples,
        };
    }
}
