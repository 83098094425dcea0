namespace RedlockAspects.Tests.Aspects;

public class DistributedLockSettingsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_ttl_of_zero_or_less_is_rejected(int ttlMs)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedLockSettings(ttlMs));

        Assert.Equal("ttlMs", error.ParamName);
    }

    [Fact]
    public void Default_wait_uses_the_engine_retry_settings()
    {
        var settings = new DistributedLockSettings(1000);

        Assert.Equal(TimeSpan.FromSeconds(1), settings.Ttl);
        Assert.Null(settings.AcquireOptions.RetryCount);
        Assert.Null(settings.AcquireOptions.MaxWait);
        Assert.True(settings.AcquireOptions.AutoExtend);
        Assert.Equal(OnBusy.Throw, settings.OnBusy);
    }

    [Fact]
    public void Zero_wait_means_a_single_attempt()
    {
        var settings = new DistributedLockSettings(1000, waitMs: 0);

        Assert.Equal(TimeSpan.Zero, settings.AcquireOptions.MaxWait);
    }

    [Fact]
    public void An_explicit_wait_budget_replaces_the_retry_count()
    {
        var settings = new DistributedLockSettings(1000, waitMs: 5000);

        Assert.Equal(-1, settings.AcquireOptions.RetryCount);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.AcquireOptions.MaxWait);
    }

    [Fact]
    public void Holds_are_passed_through_and_zero_means_none()
    {
        var with = new DistributedLockSettings(1000, maxHoldMs: 30_000, minHoldMs: 20_000);
        var without = new DistributedLockSettings(1000);

        Assert.Equal(TimeSpan.FromSeconds(30), with.AcquireOptions.MaxHold);
        Assert.Equal(TimeSpan.FromSeconds(20), with.AcquireOptions.MinHold);
        Assert.Null(without.AcquireOptions.MaxHold);
        Assert.Null(without.AcquireOptions.MinHold);
    }

    [Fact]
    public void Negative_holds_and_waits_below_minus_one_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedLockSettings(1000, waitMs: -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedLockSettings(1000, maxHoldMs: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedLockSettings(1000, minHoldMs: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedLockSettings(1000, onBusy: (OnBusy)7));
    }
}
