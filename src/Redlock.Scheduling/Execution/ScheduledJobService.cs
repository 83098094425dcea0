using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RedlockAspects.Scheduling.Execution;

/// <summary>
/// One job's schedule in one instance: catch up on start-up as configured, then fire each occurrence when this
/// instance's clock reaches it. Each occurrence is handled on its own task, so a long run or a recovery watch never
/// delays the next occurrence (each has its own keys).
/// </summary>
internal sealed class ScheduledJobService : BackgroundService
{
    private readonly ScheduledJobDefinition _job;
    private readonly JobClock _clock;
    private readonly OccurrenceRunner _runner;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<object, Task> _inFlight = new();

    public ScheduledJobService(ScheduledJobDefinition job, IServiceProvider services)
    {
        _job = job;
        var probe = services.GetService<ISchedulingProbe>();
        _clock = new JobClock(job.Options.Clock ?? services.GetService<TimeProvider>() ?? TimeProvider.System, probe);
        _logger = (services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .CreateLogger("RedlockAspects.Scheduling." + job.Name);
        _runner = new OccurrenceRunner(
            job,
            new OccurrenceLocks(services.GetRequiredService<IRedlock>(), job.Options),
            _clock,
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetServices<IScheduledJobObserver>().ToArray(),
            _logger);

        // The schedule loop exists from here on, so a test driver waits for it to reach its first timer.
        probe?.Started(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var now = _clock.Now;
            var missed = Missed(now);
            if (missed.Count > 0)
            {
                SchedulingLog.CatchingUp(_logger, _job.Name, missed.Count, missed[0]);
                Spawn(async strand =>
                {
                    foreach (var occurrence in missed)
                    {
                        await _runner.RunAsync(strand, occurrence, catchUp: true, stoppingToken).ConfigureAwait(false);
                    }
                });
            }

            // One tick back, so an occurrence due exactly now is fired rather than skipped.
            var cursor = now - TimeSpan.FromTicks(1);
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = _job.Schedule.Next(cursor);
                await _clock.DelayUntilAsync(this, due, stoppingToken).ConfigureAwait(false);
                Spawn(strand => _runner.RunAsync(strand, due, catchUp: false, stoppingToken));
                cursor = due;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (InvalidOperationException) when (!stoppingToken.IsCancellationRequested)
        {
            // The schedule has no further occurrence.
        }
        finally
        {
            await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
            _clock.Probe?.Ended(this);
        }
    }

    // The occurrences missed while down, oldest first, within the catch-up window and strictly before now.
    private List<DateTimeOffset> Missed(DateTimeOffset now)
    {
        var options = _job.Options;
        var missed = new List<DateTimeOffset>();
        if (options.CatchUp == CatchUpPolicy.None)
        {
            return missed;
        }

        var from = now - options.CatchUpWindow;
        var next = _job.Schedule.Next(from - TimeSpan.FromTicks(1));
        while (next < now)
        {
            missed.Add(next);
            next = _job.Schedule.Next(next);
        }

        return options.CatchUp == CatchUpPolicy.Last && missed.Count > 1 ? [missed[^1]] : missed;
    }

    private void Spawn(Func<object, Task> work)
    {
        var strand = new object();
        _clock.Probe?.Started(strand);

        // The task is tracked before it may start, so that it cannot finish (and untrack itself) first.
        var tracked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.Run(async () =>
        {
            try
            {
                await tracked.Task.ConfigureAwait(false);
                await work(strand).ConfigureAwait(false);
            }
            finally
            {
                _inFlight.TryRemove(strand, out _);
                _clock.Probe?.Ended(strand);
            }
        });
        _inFlight.TryAdd(strand, task);
        tracked.SetResult();
    }
}
