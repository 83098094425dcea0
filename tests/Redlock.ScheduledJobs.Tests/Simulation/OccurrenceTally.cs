using RedlockAspects.Scheduling;

namespace RedlockAspects.ScheduledJobs.Tests.Simulation;

/// <summary>Everything that happened to each occurrence: bodies started and completed, and each instance's report.</summary>
public sealed class OccurrenceTally
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DateTimeOffset, List<string>> _started = [];
    private readonly Dictionary<DateTimeOffset, List<string>> _completed = [];
    private readonly Dictionary<DateTimeOffset, List<(string Instance, OccurrenceReport Report)>> _reports = [];

    private readonly HashSet<DateTimeOffset> _killedAfterCompleting = [];

    public void Started(DateTimeOffset occurrence, string instance) => Add(_started, occurrence, instance);

    /// <summary>A body of this occurrence completed and its instance died before the done marker was written.</summary>
    public void KilledAfterCompleting(DateTimeOffset occurrence)
    {
        lock (_gate)
        {
            _killedAfterCompleting.Add(occurrence);
        }
    }

    public bool WasKilledAfterCompleting(DateTimeOffset occurrence)
    {
        lock (_gate)
        {
            return _killedAfterCompleting.Contains(occurrence);
        }
    }

    public void Completed(DateTimeOffset occurrence, string instance) => Add(_completed, occurrence, instance);

    public void Reported(string instance, OccurrenceReport report)
    {
        lock (_gate)
        {
            if (!_reports.TryGetValue(report.Occurrence, out var list))
            {
                _reports[report.Occurrence] = list = [];
            }

            list.Add((instance, report));
        }
    }

    /// <summary>Which instances completed the occurrence's body.</summary>
    public IReadOnlyList<string> CompletedOn(DateTimeOffset occurrence) => Get(_completed, occurrence);

    public IReadOnlyList<string> StartedOn(DateTimeOffset occurrence) => Get(_started, occurrence);

    public IReadOnlyList<(string Instance, OccurrenceReport Report)> Reports(DateTimeOffset occurrence)
    {
        lock (_gate)
        {
            return _reports.TryGetValue(occurrence, out var list) ? list.ToArray() : [];
        }
    }

    /// <summary>How many of the occurrences completed 0 times, once, and 2 or more times.</summary>
    public (int Zero, int One, int TwoOrMore) Counts(IEnumerable<DateTimeOffset> occurrences)
    {
        var counts = occurrences.Select(o => CompletedOn(o).Count).ToArray();
        return (counts.Count(c => c == 0), counts.Count(c => c == 1), counts.Count(c => c >= 2));
    }

    public string Describe(DateTimeOffset occurrence) =>
        $"{occurrence:HH:mm:ss} started on [{string.Join(",", StartedOn(occurrence))}] completed on [{string.Join(",", CompletedOn(occurrence))}] " +
        $"reports [{string.Join(", ", Reports(occurrence).Select(r => $"{r.Instance}:{r.Report.Outcome}"))}]";

    private void Add(Dictionary<DateTimeOffset, List<string>> map, DateTimeOffset occurrence, string instance)
    {
        lock (_gate)
        {
            if (!map.TryGetValue(occurrence, out var list))
            {
                map[occurrence] = list = [];
            }

            list.Add(instance);
        }
    }

    private IReadOnlyList<string> Get(Dictionary<DateTimeOffset, List<string>> map, DateTimeOffset occurrence)
    {
        lock (_gate)
        {
            return map.TryGetValue(occurrence, out var list) ? list.Order(StringComparer.Ordinal).ToArray() : [];
        }
    }
}
