using RedlockAspects.Scheduling;

namespace ScheduledJobs.Scheduling;

// The occurrences this run covers, named as every instance's schedule names them (e.g. 12:00:05 on each clock).
// Every instance fires each of them on its own clock; the demo then checks that each ran exactly once.
public sealed record OccurrenceWindow(DateTimeOffset First, DateTimeOffset Last, int Count)
{
    // The first occurrence far enough ahead that even the instance whose clock is furthest ahead has started.
    public static OccurrenceWindow After(CronOccurrence schedule, DateTimeOffset trueNow, TimeSpan maxSkew, TimeSpan startUp, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var first = schedule.Next(trueNow + maxSkew + startUp);
        var last = first;
        for (var i = 1; i < count; i++)
        {
            last = schedule.Next(last);
        }

        return new OccurrenceWindow(first, last, count);
    }

    public IReadOnlyList<DateTimeOffset> Occurrences(CronOccurrence schedule)
    {
        var list = new List<DateTimeOffset>(Count) { First };
        while (list.Count < Count)
        {
            list.Add(schedule.Next(list[^1]));
        }

        return list;
    }
}
