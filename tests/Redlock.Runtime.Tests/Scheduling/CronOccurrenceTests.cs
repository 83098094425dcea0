using Microsoft.Extensions.Time.Testing;
using RedlockAspects.Scheduling;

namespace RedlockAspects.Tests.Scheduling;

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
    [InlineData("")]
    [InlineData("not cron")]
    [InlineData("61 * * * *")]
    public void A_bad_expression_is_rejected_with_its_text(string expression)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CronOccurrence(expression));

        Assert.Equal("expression", error.ParamName);
    }
}
