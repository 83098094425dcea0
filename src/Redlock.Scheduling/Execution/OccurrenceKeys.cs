using System.Globalization;

namespace RedlockAspects.Scheduling.Execution;

/// <summary>The two keys of one occurrence: its lock (held while a run is in progress) and its done marker.</summary>
internal sealed record OccurrenceKeys(string Lock, string Done)
{
    // Cron's finest unit is the second, so this format never puts two occurrences on one key. UTC and the invariant
    // culture make every instance spell the same occurrence the same way, whatever its time zone or culture.
    public static OccurrenceKeys For(string job, DateTimeOffset occurrence)
    {
        var stamp = occurrence.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var lockKey = $"jobs:{job}:{stamp}";
        return new OccurrenceKeys(lockKey, lockKey + ":done");
    }
}
