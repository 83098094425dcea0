namespace RedlockAspects.Scheduling.Tests;

public class ScheduledJobOptionsTests
{
    [Fact]
    public void Done_retention_covers_the_clock_spread_the_firing_delay_and_the_windows()
    {
        var options = new ScheduledJobOptions
        {
            MaxClockSkew = TimeSpan.FromSeconds(10),
            MaxFiringDelay = TimeSpan.FromSeconds(5),
            MaxRunTime = TimeSpan.FromSeconds(60),
            LockTtl = TimeSpan.FromSeconds(5),
        };

        // Recovery window defaults to MaxRunTime + 2 lock TTLs: a holder that dies at any point of its run is covered.
        Assert.Equal(TimeSpan.FromSeconds(70), options.RecoveryWindow);
        Assert.Equal(TimeSpan.FromSeconds(20 + 5 + 70 + 10), options.DoneRetention);

        options.Recovery = false;
        Assert.Equal(TimeSpan.FromSeconds(20 + 5 + 10), options.DoneRetention);

        options.CatchUp = CatchUpPolicy.All;
        options.CatchUpWindow = TimeSpan.FromMinutes(10);
        Assert.Equal(TimeSpan.FromSeconds(20 + 5 + 600 + 10), options.DoneRetention);
    }

    [Fact]
    public void Bad_values_are_refused_when_set()
    {
        var options = new ScheduledJobOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxClockSkew = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxRunTime = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxRunTime = TimeSpan.FromDays(30));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.LockTtl = TimeSpan.FromMilliseconds(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxAttempts = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RecoveryWindow = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.CatchUpWindow = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RetryDelay = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentException>(() => options.Name = "");
        Assert.Throws<ArgumentException>(() => options.Name = "two words");
        Assert.Throws<ArgumentNullException>(() => options.TimeZone = null!);
    }

    [Fact]
    public void A_catch_up_policy_needs_a_window()
    {
        var options = new ScheduledJobOptions { CatchUp = CatchUpPolicy.Last };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("CatchUpWindow", error.ParamName);
    }
}
