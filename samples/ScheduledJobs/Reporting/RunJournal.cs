using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Reporting;

// Collects every instance's attempts. Hands out each occurrence's row, in order, as soon as every instance has
// had its go at it, and the verdict at the end. Shared by all instance hosts, so it is thread-safe.
public sealed class RunJournal : IRunObserver
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<string> _instances;
    private readonly IReadOnlyList<DateTimeOffset> _occurrences;
    private readonly Dictionary<DateTimeOffset, Dictionary<string, RunRecord>> _byOccurrence = [];
    private readonly List<string> _strays = [];
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dead = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _rowsEmitted;

    public RunJournal(IReadOnlyList<string> instances, IReadOnlyList<DateTimeOffset> occurrences)
    {
        _instances = instances;
        _occurrences = occurrences;
        foreach (var occurrence in occurrences)
        {
            _byOccurrence[occurrence] = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        }
    }

    // Called in occurrence order, once per occurrence (under the journal's lock, so rows never interleave).
    public event Action<OccurrenceRow>? RowCompleted;

    // Completes when every occurrence's row is out, or every instance has finished.
    public Task Completion => _completion.Task;

    public void Armed(string instance, DateTimeOffset due)
    {
    }

    public void Completed(RunRecord record)
    {
        lock (_gate)
        {
            if (_dead.Contains(record.Instance))
            {
                // A killed instance says nothing more (its host is only being torn down).
                return;
            }

            if (!_byOccurrence.TryGetValue(record.Occurrence, out var row))
            {
                // The instance named an occurrence outside the window: its timer was off by more than half a period.
                _strays.Add($"{record.Instance} named {Reporting.Verdict.FormatOccurrence(record.Occurrence)}, which is not in the schedule window ({record.Outcome})");
                return;
            }

            if (!row.TryAdd(record.Instance, record))
            {
                _strays.Add($"{record.Instance} fired {Reporting.Verdict.FormatOccurrence(record.Occurrence)} twice");
            }

            EmitCompleteRows(all: false);
        }
    }

    // The instance was killed in the middle of this occurrence: it has no say in this row or any later one.
    public void Killed(RunRecord record)
    {
        lock (_gate)
        {
            if (_byOccurrence.TryGetValue(record.Occurrence, out var row))
            {
                row[record.Instance] = record;
            }

            _dead.Add(record.Instance);
            EmitCompleteRows(all: false);
        }
    }

    public IReadOnlyList<string> Dead()
    {
        lock (_gate)
        {
            return _dead.Order(StringComparer.Ordinal).ToArray();
        }
    }

    public void Finished(string instance)
    {
        lock (_gate)
        {
            _finished.Add(instance);
            if (_finished.Count < _instances.Count)
            {
                return;
            }

            EmitCompleteRows(all: true);
        }

        _completion.TrySetResult();
    }

    public IReadOnlyList<OccurrenceRow> Rows()
    {
        lock (_gate)
        {
            return _occurrences.Select(Row).ToArray();
        }
    }

    public Verdict Verdict()
    {
        lock (_gate)
        {
            return Reporting.Verdict.Of(_occurrences.Select(Row).ToArray(), _strays.ToArray());
        }
    }

    // Under the lock.
    private void EmitCompleteRows(bool all)
    {
        while (_rowsEmitted < _occurrences.Count)
        {
            var occurrence = _occurrences[_rowsEmitted];
            var row = _byOccurrence[occurrence];
            if (!all && _instances.Any(i => !row.ContainsKey(i) && !_dead.Contains(i)))
            {
                return;
            }

            _rowsEmitted++;
            RowCompleted?.Invoke(Row(occurrence));
        }

        if (_rowsEmitted == _occurrences.Count && _occurrences.Count > 0)
        {
            _completion.TrySetResult();
        }
    }

    // Under the lock.
    private OccurrenceRow Row(DateTimeOffset occurrence) => new(occurrence, new Dictionary<string, RunRecord>(_byOccurrence[occurrence], StringComparer.Ordinal));
}
