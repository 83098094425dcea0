using System.Collections.Concurrent;
using System.Diagnostics;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// Proves mutual exclusion. Every holder enters and leaves; entering while someone else is inside is an overlap.
/// It also keeps each holding interval (monotonic timestamps) so the intervals can be checked after the run:
/// sorted by start, no interval may begin before the previous one ended.
/// </summary>
public sealed class OverlapChecker
{
    private readonly ConcurrentQueue<(long Start, long End, int Worker)> _intervals = new();
    private int _inside;
    private int _liveOverlaps;

    public int LiveOverlaps => Volatile.Read(ref _liveOverlaps);

    public int Count => _intervals.Count;

    public long Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _liveOverlaps);
        }

        return Stopwatch.GetTimestamp();
    }

    public void Leave(long enteredAt, int worker)
    {
        var leftAt = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _inside);
        _intervals.Enqueue((enteredAt, leftAt, worker));
    }

    /// <summary>Intervals that began before an earlier one ended.</summary>
    public IReadOnlyList<string> IntervalOverlaps()
    {
        var sorted = _intervals.OrderBy(i => i.Start).ToArray();
        var overlaps = new List<string>();
        var maxEnd = long.MinValue;
        var maxWorker = -1;
        foreach (var interval in sorted)
        {
            if (interval.Start < maxEnd)
            {
                overlaps.Add($"worker {interval.Worker} entered {(maxEnd - interval.Start) * 1000.0 / Stopwatch.Frequency:0.###} ms before worker {maxWorker} left");
            }

            if (interval.End > maxEnd)
            {
                maxEnd = interval.End;
                maxWorker = interval.Worker;
            }
        }

        return overlaps;
    }
}
