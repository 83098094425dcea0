using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using RedlockAspects.Scheduling;

namespace RedlockAspects.Scheduling.Tests;

public class CronOccurrenceTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_and_previous_bracket_a_point_in_time()
    {
        var every5Minutes = new CronOccurrence("*/5 * * * *");
        var at = Noon.AddMinutes(7);

        Assert.Equal(Noon.AddMinutes(10), every5Minutes.Next(at));
        Assert.Equal(Noon.AddMinutes(5), every5Minutes.Previous(at));
        Assert.Equal(Noon.AddMinutes(5), every5Minutes.Previous(Noon.AddMinutes(5)));
    }

    [Fact]
    public void Six_fields_mean_seconds()
    {
        var every5Seconds = new CronOccurrence("*/5 * * * * *");

        Assert.Equal(Noon.AddSeconds(5), every5Seconds.Next(Noon));
    }

    [Theory]
    [InlineData(-2.49)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(0.001)]
    [InlineData(2.49)]
    public void Clocks_skewed_by_less_than_half_the_period_name_the_same_occurrence(double skewSeconds)
    {
        var every5Seconds = new CronOccurrence("*/5 * * * * *");
        var clock = new FakeTimeProvider(Noon.AddSeconds(skewSeconds));

        Assert.Equal(Noon, every5Seconds.Current(clock));
    }

    [Fact]
    public void A_skew_of_more_than_half_the_period_names_a_neighbour()
    {
        var every5Seconds = new CronOccurrence("*/5 * * * * *");

        Assert.Equal(Noon.AddSeconds(5), every5Seconds.Current(Noon.AddSeconds(2.6)));
        Assert.Equal(Noon.AddSeconds(-5), every5Seconds.Current(Noon.AddSeconds(-2.6)));
    }

    [Fact]
    public void Previous_finds_sparse_schedules()
    {
        var yearly = new CronOccurrence("0 0 1 1 *");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), yearly.Previous(Noon));
    }

    [Theory]
    [InlineData("2027-03-01T00:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("2028-02-28T23:59:59Z", "2024-02-29T00:00:00Z")]
    [InlineData("2104-02-28T23:59:59Z", "2096-02-29T00:00:00Z")]
    public void Previous_finds_a_leap_day_years_back_even_across_a_skipped_century_leap_year(string at, string expected)
    {
        // 2100 is not a leap year, so on 2104-02-28 the previous Feb 29 is 8 years back; it once gave up after ~728 days.
        var leapDay = new CronOccurrence("0 0 29 2 *");
        var now = DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), leapDay.Previous(now));
    }

    [Fact]
    public void Current_on_a_leap_day_schedule_names_the_nearer_leap_day()
    {
        var leapDay = new CronOccurrence("0 0 29 2 *");

        Assert.Equal(new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero), leapDay.Current(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_schedule_that_never_fires_has_no_previous_occurrence()
    {
        var neverFires = new CronOccurrence("0 0 30 2 *");

        Assert.Throws<InvalidOperationException>(() => neverFires.Previous(Noon));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not cron")]
    [InlineData("61 * * * *")]
    public void A_bad_expression_is_rejected_with_its_text(string expression)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CronOccurrence(expression));

        Assert.Equal("expression", error.ParamName);
    }
}
