using System.Globalization;

namespace ScheduledJobs.Reporting;

// The demo's last line: either "N occurrences, each ran exactly once", or every occurrence that did not.
public sealed record Verdict(int Occurrences, IReadOnlyList<string> Violations)
{
    public bool ExactlyOnce => Violations.Count == 0;

    public string Line => ExactlyOnce
        ? $"{Occurrences} occurrences, each ran exactly once"
        : $"{Occurrences} occurrences, {Violations.Count} not run exactly once: {string.Join("; ", Violations)}";

    public static Verdict Of(IReadOnlyList<OccurrenceRow> rows, IReadOnlyList<string> strays)
    {
        var violations = new List<string>();
        foreach (var row in rows)
        {
            var ranOn = row.RanOn;
            var when = FormatOccurrence(row.Occurrence);
            if (ranOn.Count > 1)
            {
                violations.Add($"{when} ran {ranOn.Count} times ({string.Join(", ", ranOn)})");
            }
            else if (ranOn.Count == 0)
            {
                var failures = row.ByInstance.Values.Where(r => r.Error is not null).Select(r => $"{r.Instance}: {r.Error}").ToArray();
                violations.Add($"{when} never ran" + (failures.Length > 0 ? $" ({string.Join(", ", failures)})" : ""));
            }
        }

        violations.AddRange(strays);
        return new Verdict(rows.Count, violations);
    }

    public static string FormatOccurrence(DateTimeOffset occurrence) =>
        occurrence.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
