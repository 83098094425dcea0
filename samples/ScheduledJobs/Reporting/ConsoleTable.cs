using System.Globalization;
using ScheduledJobs.Clocks;
using ScheduledJobs.Instances;
using ScheduledJobs.Scheduling;

namespace ScheduledJobs.Reporting;

// The live table: one row per occurrence, one column per instance. A cell says what the instance did and when it
// fired in true time, relative to the occurrence (an instance whose clock is ahead fires early: negative).
public sealed class ConsoleTable(TextWriter output, IReadOnlyList<InstanceSpec> instances)
{
    private const int OccurrenceWidth = 12;
    private const int CellWidth = 16;

    public void WriteHeader()
    {
        var header = "occurrence".PadRight(OccurrenceWidth)
            + string.Concat(instances.Select(i => $"{i.Name} ({SkewPlan.Format(i.Skew)})".PadRight(CellWidth)))
            + "runs";
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length + 6));
    }

    public void WriteRow(OccurrenceRow row)
    {
        var line = Verdict.FormatOccurrence(row.Occurrence).PadRight(OccurrenceWidth);
        foreach (var instance in instances)
        {
            line += (row.ByInstance.TryGetValue(instance.Name, out var record) ? Cell(record, instance) : "-").PadRight(CellWidth);
        }

        var runs = row.RanOn.Count;
        line += runs switch
        {
            1 => "1",
            0 => "0   <- never ran",
            _ => $"{runs}   <- ran {runs} times",
        };
        output.WriteLine(line);
    }

    private static string Cell(RunRecord record, InstanceSpec instance)
    {
        var what = record.Outcome switch
        {
            RunOutcome.Ran => record.Error is null ? "ran" : "ran!",
            RunOutcome.Skipped => "skip",
            RunOutcome.Recovered => "rcvd",
            RunOutcome.Killed => "kill",
            _ => "FAIL",
        };

        // The instance fired at FiredAt on its own clock; take the skew off to place it in true time.
        var offset = record.FiredAt - instance.Skew - record.Occurrence;
        var seconds = offset.TotalSeconds.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
        return $"{what,-5}{seconds} s";
    }
}
