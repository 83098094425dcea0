using System.Collections.Concurrent;

namespace ScheduledJobs.Jobs;

// The job's actual work ("send the digest mail"), one per instance. It remembers which occurrences it ran, because
// a skipped [DistributedLock] call returns just like a finished one: the scheduler asks here which it was.
public sealed class DigestWork(DigestWorkOptions options)
{
    private readonly ConcurrentDictionary<DateTimeOffset, int> _runs = new();

    public async Task DoAsync(DateTimeOffset occurrence, CancellationToken ct)
    {
        _runs.AddOrUpdate(occurrence, 1, static (_, n) => n + 1);
        if (options.Duration > TimeSpan.Zero)
        {
            // Real time on purpose: the work takes as long as it takes, whatever the instance's clock says.
            await Task.Delay(options.Duration, ct);
        }

        if (options.Fault is { } fault)
        {
            throw fault(occurrence);
        }
    }

    public int Runs(DateTimeOffset occurrence) => _runs.TryGetValue(occurrence, out var n) ? n : 0;
}
