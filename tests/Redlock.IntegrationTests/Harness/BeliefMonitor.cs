using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// The invariant checker: at no instant may two leases on one resource both believe they hold it. A sampler thread
/// looks at every live lease continuously; after the run, the belief intervals of all leases are compared.
/// </summary>
internal sealed class BeliefMonitor : IDisposable
{
    // A sample is trusted only if reading all leases of one resource took at most this long; longer means the
    // sampler was preempted in between, and two reads far apart prove nothing. The engine's drift allowance (2 ms
    // plus 1% of the TTL) keeps a true successor from acquiring within this window.
    private static readonly long MaxSampleWindow = Stopwatch.Frequency / 1000;

    // An extension already in flight when validity ran out can still land and revive a lease, but never later than
    // a node timeout after; a lease not believing for this long is dropped from sampling (abandoned leases pile up).
    private static readonly long RevivalWindow = Stopwatch.Frequency;

    private readonly ConcurrentDictionary<long, LeaseRecord> _live = new();
    private readonly ConcurrentQueue<LeaseRecord> _all = new();
    private readonly IReadOnlyList<string> _resources;
    private readonly Violations _violations;
    private readonly Thread _sampler;
    private readonly HashSet<(long, long)> _reportedPairs = [];
    private volatile bool _stopping;
    private long _nextId;
    private long _samples;
    private long _discardedSamples;

    public BeliefMonitor(IReadOnlyList<string> resources, Violations violations)
    {
        _resources = resources;
        _violations = violations;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "harness-belief-sampler" };
        _sampler.Start();
    }

    public long Samples => Interlocked.Read(ref _samples);

    public long DiscardedSamples => Interlocked.Read(ref _discardedSamples);

    public int Leases => _all.Count;

    /// <summary>Call as soon as an acquire returns a lease, with the time it returned.</summary>
    public LeaseRecord Register(int worker, RedlockLease lease, long returnedAt)
    {
        var record = new LeaseRecord(Interlocked.Increment(ref _nextId), worker, lease, lease.Resources, returnedAt);
        record.Observe();
        _all.Enqueue(record);
        _live[record.Id] = record;
        return record;
    }

    /// <summary>Stops watching a lease that can no longer believe (its interval is still checked at the end).</summary>
    public void Forget(LeaseRecord record) => _live.TryRemove(record.Id, out _);

    /// <summary>Records that a nested hold's release released the lock while its outer holder still held it.</summary>
    public void NestedReleaseFreedTheLock(LeaseRecord outer, string context) =>
        _violations.Add(ViolationKind.NestedReleaseFreedTheLock, $"{context}: after the nested release, {outer} says it is released");

    /// <summary>Compares every pair of belief intervals on each resource; returns how many overlaps were found.</summary>
    public int CheckIntervals()
    {
        var overlaps = 0;
        var intervals = _all.Select(r => (Record: r, r.Start, End: r.End())).Where(i => i.End > i.Start).ToArray();
        foreach (var resource in _resources)
        {
            var onResource = intervals.Where(i => i.Record.Resources.Contains(resource)).OrderBy(i => i.Start).ToArray();
            for (var a = 0; a < onResource.Length; a++)
            {
                for (var b = a + 1; b < onResource.Length && onResource[b].Start < onResource[a].End; b++)
                {
                    overlaps++;
                    var (first, second) = (onResource[a], onResource[b]);
                    _violations.Add(ViolationKind.IntervalOverlap, string.Create(CultureInfo.InvariantCulture,
                        $"{resource}: {first.Record} believed {Ms(first.Start)}..{Ms(first.End)} ms, {second.Record} from {Ms(second.Start)} ms: overlap {Duration(Math.Min(first.End, second.End) - second.Start)} ms. " +
                        $"Lease {first.Record.Id}: {first.Record.History}. Lease {second.Record.Id}: {second.Record.History}"));
                }
            }
        }

        return overlaps;
    }

    public void Dispose()
    {
        _stopping = true;
        _sampler.Join();
    }

    private static readonly long Origin = Stopwatch.GetTimestamp();

    private static string Ms(long timestamp) => Duration(timestamp - Origin);

    private static string Duration(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.###", CultureInfo.InvariantCulture);

    private void Sample()
    {
        var believers = new List<(LeaseRecord Record, TimeSpan Remaining)>();
        while (!_stopping)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var record in _live.Values)
            {
                if (now - record.FirstNotBelieving > RevivalWindow)
                {
                    _live.TryRemove(record.Id, out _);
                }
            }

            foreach (var resource in _resources)
            {
                believers.Clear();
                var before = Stopwatch.GetTimestamp();
                foreach (var record in _live.Values)
                {
                    if (record.Resources.Contains(resource) && record.Observe())
                    {
                        believers.Add((record, record.Lease.RemainingValidity));
                    }
                }

                var after = Stopwatch.GetTimestamp();
                if (after - before > MaxSampleWindow)
                {
                    Interlocked.Increment(ref _discardedSamples);
                    continue;
                }

                Interlocked.Increment(ref _samples);
                if (believers.Count > 1)
                {
                    Report(resource, before, believers);
                }
            }

            Thread.Sleep(1);
        }
    }

    private void Report(string resource, long at, List<(LeaseRecord Record, TimeSpan Remaining)> believers)
    {
        for (var i = 0; i < believers.Count; i++)
        {
            for (var j = i + 1; j < believers.Count; j++)
            {
                // One report per pair of leases; the sampler would otherwise report every millisecond of one overlap.
                if (_reportedPairs.Add((believers[i].Record.Id, believers[j].Record.Id)))
                {
                    _violations.Add(ViolationKind.SampledOverlap, string.Create(CultureInfo.InvariantCulture,
                        $"{resource} at {Ms(at)} ms: {believers[i].Record} (valid {believers[i].Remaining.TotalMilliseconds:0.#} ms more) and {believers[j].Record} (valid {believers[j].Remaining.TotalMilliseconds:0.#} ms more) both believe. " +
                        $"Lease {believers[i].Record.Id}: {believers[i].Record.History}. Lease {believers[j].Record.Id}: {believers[j].Record.History}"));
                }
            }
        }
    }
}
