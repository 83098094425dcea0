using System.Globalization;

namespace ScheduledJobs.Clocks;

// How far each instance's clock is off. The first instance is always the furthest ahead (the article's machine
// that fired first); the others are drawn from [-max, +max] with a fixed seed, so a run can be repeated.
public static class SkewPlan
{
    public static IReadOnlyList<TimeSpan> Draw(int instances, TimeSpan maxSkew, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instances, 1);
        var random = new Random(seed);
        var skews = new TimeSpan[instances];
        skews[0] = maxSkew;
        for (var i = 1; i < instances; i++)
        {
            // Whole milliseconds keep the printed table tidy.
            var ms = Math.Round((random.NextDouble() * 2 - 1) * maxSkew.TotalMilliseconds);
            skews[i] = TimeSpan.FromMilliseconds(ms);
        }

        return skews;
    }

    public static string Format(TimeSpan skew) =>
        (skew < TimeSpan.Zero ? "-" : "+") + Math.Abs(skew.TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
