using System.Collections.Concurrent;
using ScheduledJobs.Instances;

namespace ScheduledJobs.Jobs;

// The job's actual work ("send the digest mail"), one per instance. It remembers which occurrences it started, because
// a skipped [DistributedLock] call returns just like a finished one: the naive scheduler asks here which it was.
public sealed class DigestWork(DigestWorkOptions options, InstanceIdentity identity, KillSwitch kill)
{
    private readonly ConcurrentDictionary<DateTimeOffset, int> _runs = new();

    public async Task DoAsync(DateTimeOffset occurrence, CancellationToken ct)
    {
        _runs.AddOrUpdate(occurrence, 1, static (_, n) => n + 1);
        if (kill.ShouldKill(occurrence))
        {
            // --kill-one: half way through the work, this instance dies (see DemoRunner); the body never ends.
            await Task.Delay(options.Duration / 2, ct);
            await kill.KillAsync(identity.Name, occurrence);
            await Task.Delay(Timeout.Infinite, ct);
        }

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
