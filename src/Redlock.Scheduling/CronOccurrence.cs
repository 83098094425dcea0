using Cronos;

namespace RedlockAspects.Scheduling;

/// <summary>
/// Names the occurrence of a cron schedule that an instance is running, so it can go into a lock key
/// (<c>"jobs:digest:{occurrence:yyyyMMddHHmm}"</c>). Every instance rounds its own clock to the nearest occurrence,
/// so instances whose clocks disagree by less than half the period (and timers that fire a little early or late)
/// all name the same occurrence.
/// </summary>
public sealed class CronOccurrence
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    // One full Gregorian cycle: the calendar repeats after it, so a schedule with no occurrence in it has none at all.
    private static readonly TimeSpan SearchHorizon = TimeSpan.FromDays(146_097);

    /// <summary>Parses the schedule.</summary>
    /// <param name="expression">A cron expression: five fields, or six with seconds first.</param>
    /// <param name="zone">The time zone the schedule is written in; UTC by default.</param>
    /// <exception cref="ArgumentException">The expression is empty or not valid cron.</exception>
    public CronOccurrence(string expression, TimeZoneInfo? zone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            _expression = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException($"'{expression}' is not a valid cron expression: {e.Message}", nameof(expression), e);
        }

        Expression = expression;
        _zone = zone ?? TimeZoneInfo.Utc;
    }

    /// <summary>The cron expression.</summary>
    public string Expression { get; }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    /// <param name="after">A point in time.</param>
    /// <returns>The next occurrence.</returns>
    /// <exception cref="InvalidOperationException">The schedule has no further occurrence.</exception>
    public DateTimeOffset Next(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, _zone) ?? throw new InvalidOperationException($"'{Expression}' has no occurrence after {after:O}.");

    /// <summary>The latest occurrence at or before <paramref name="at"/>.</summary>
    /// <param name="at">A point in time.</param>
    /// <returns>The previous (or current) occurrence.</returns>
    public DateTimeOffset Previous(DateTimeOffset at)
    {
        // Cronos only looks forward: step back by growing windows until an occurrence turns up. The search goes as
        // far back as the Gregorian calendar's 400-year cycle, so sparse schedules are found too (Feb 29 recurs every
        // 4 years, or 8 across a century that is not a leap year).
        var window = TimeSpan.FromMinutes(1);
        var reach = at - DateTimeOffset.MinValue;
        while (true)
        {
            var last = LastIn(at, window < reach ? window : reach);
            if (last is { } found)
            {
                return found;
            }

            if (window >= SearchHorizon || window >= reach)
            {
                break;
            }

            window = window * 4 < SearchHorizon ? window * 4 : SearchHorizon;
        }

        throw new InvalidOperationException($"'{Expression}' has no occurrence before {at:O}.");
    }

    private DateTimeOffset? LastIn(DateTimeOffset at, TimeSpan window)
    {
        DateTimeOffset? last = null;
        foreach (var occurrence in _expression.GetOccurrences(at - window, at, _zone, fromInclusive: true, toInclusive: true))
        {
            last = occurrence;
        }

        return last;
    }

    /// <summary>
    /// The occurrence nearest to <paramref name="now"/>, before or after: what an instance is running when its
    /// schedule fires. With the period P and a skew below P/2, every instance gets the same answer.
    /// </summary>
    /// <param name="now">The instance's own clock.</param>
    /// <returns>The occurrence being run.</returns>
    public DateTimeOffset Current(DateTimeOffset now)
    {
        var previous = Previous(now);
        var next = Next(now);
        return now - previous <= next - now ? previous : next;
    }

    /// <summary>The occurrence nearest to the clock's current time.</summary>
    /// <param name="clock">The instance's clock.</param>
    /// <returns>The occurrence being run.</returns>
    public DateTimeOffset Current(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Current(clock.GetUtcNow());
    }
}
