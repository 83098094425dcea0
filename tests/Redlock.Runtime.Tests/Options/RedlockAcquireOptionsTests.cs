namespace RedlockAspects.Tests.Options;

public class RedlockAcquireOptionsTests
{
    [Fact]
    public void Unset_values_fall_back_to_the_engine()
    {
        var options = RedlockAcquireOptions.Default;

        Assert.Null(options.RetryCount);
        Assert.Null(options.RetryDelay);
        Assert.Null(options.MaxWait);
        Assert.False(options.AutoExtend);
        Assert.Null(options.MinHold);
    }

    [Fact]
    public void Invalid_values_are_rejected_when_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { RetryCount = -2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { MaxWait = TimeSpan.FromMilliseconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { RetryDelay = TimeSpan.FromMilliseconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { MaxHold = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { MinHold = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { ExtendInterval = TimeSpan.Zero });
    }
}
