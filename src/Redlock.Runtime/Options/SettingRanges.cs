using System.Globalization;
using RedlockAspects.Algorithm;

namespace RedlockAspects;

/// <summary>
/// The range of every engine and acquisition setting, in one place so that the setters, the configuration reader and the
/// docs agree. A value outside its range is refused when it is set, never later in the middle of a contended acquire.
/// </summary>
internal static class SettingRanges
{
    public static readonly (TimeSpan Min, TimeSpan Max) RetryDelay = (TimeSpan.Zero, TimeSpan.FromHours(1));
    public static readonly (TimeSpan Min, TimeSpan Max) RetryJitter = (TimeSpan.Zero, TimeSpan.FromHours(1));
    public static readonly (TimeSpan Min, TimeSpan Max) MaxWait = (TimeSpan.Zero, LeaseDurations.Maximum);
    public static readonly (TimeSpan Min, TimeSpan Max) NodeTimeout = (TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
    public static readonly (TimeSpan Min, TimeSpan Max) MinValidity = (TimeSpan.Zero, TimeSpan.FromHours(1));
    public static readonly (TimeSpan Min, TimeSpan Max) ReleaseTimeout = (TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));

    /// <summary>Returns <paramref name="value"/> when it lies in <paramref name="range"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It does not; the message names the setting, the range and the value.</exception>
    public static TimeSpan Check(TimeSpan value, (TimeSpan Min, TimeSpan Max) range, string name)
    {
        if (value < range.Min || value > range.Max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {Describe(range.Min)} and {Describe(range.Max)}; it was {Describe(value)}.");
        }

        return value;
    }

    /// <summary>Like <see cref="Check(TimeSpan, ValueTuple{TimeSpan, TimeSpan}, string)"/>, for an optional value.</summary>
    public static TimeSpan? Check(TimeSpan? value, (TimeSpan Min, TimeSpan Max) range, string name) =>
        value is { } v ? Check(v, range, name) : null;

    /// <summary>A duration the way the messages show it: milliseconds below a minute, else the TimeSpan form.</summary>
    public static string Describe(TimeSpan value) =>
        value == TimeSpan.MaxValue ? "TimeSpan.MaxValue"
        : value == TimeSpan.MinValue ? "TimeSpan.MinValue"
        : value.Duration() < TimeSpan.FromMinutes(1) ? value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms"
        : value.ToString("c", CultureInfo.InvariantCulture);
}
