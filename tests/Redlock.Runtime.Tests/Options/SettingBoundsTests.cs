using RedlockAspects.Algorithm;

namespace RedlockAspects.Tests.Options;

/// <summary>Every lease duration shares one range, and every setting refuses what would fail later (lease-safety defects 2, 4, 5, 11).</summary>
public class SettingBoundsTests
{
    public static TheoryData<TimeSpan> OutOfLeaseRange => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromTicks(5_000),          // 0.5 ms: PEXPIRE 0 would delete the key
        TimeSpan.FromMilliseconds(-1),
        TimeSpan.FromMilliseconds(int.MaxValue + 1.0),
        TimeSpan.MaxValue,                  // would write a key with no expiry
    };

    [Theory]
    [MemberData(nameof(OutOfLeaseRange))]
    public void MinHold_MaxHold_and_ExtendInterval_share_the_lease_range(TimeSpan value)
    {
        Assert.Equal("MinHold", Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { MinHold = value }).ParamName);
        Assert.Equal("MaxHold", Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { MaxHold = value }).ParamName);
        Assert.Equal("ExtendInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { ExtendInterval = value }).ParamName);
    }

    [Fact]
    public void Lease_durations_are_rounded_up_to_whole_milliseconds()
    {
        var options = new RedlockAcquireOptions { MinHold = TimeSpan.FromTicks(15_001) };

        Assert.Equal(TimeSpan.FromMilliseconds(2), options.MinHold);
    }

    [Fact]
    public void Retry_delay_and_jitter_refuse_values_that_would_overflow_the_retry_policy()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockOptions { RetryDelay = TimeSpan.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockOptions { RetryJitter = TimeSpan.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockOptions { RetryDelay = TimeSpan.FromDays(200) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockAcquireOptions { RetryJitter = TimeSpan.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockOptions { MaxWait = TimeSpan.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockOptions { NodeTimeout = TimeSpan.FromDays(1) });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_ttl_at_or_below_the_drift_allowance_is_refused_up_front(int ttlMs)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LeaseDurations.CheckTtl(TimeSpan.FromMilliseconds(ttlMs), "ttl", 0.01, TimeSpan.FromMilliseconds(1)));

        Assert.Equal("ttl", error.ParamName);
        Assert.Contains("leaves no validity", error.Message);
        Assert.Contains("at least 4 ms", error.Message);
    }

    [Fact]
    public void The_shortest_useful_ttl_is_accepted()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(4), LeaseDurations.CheckTtl(TimeSpan.FromMilliseconds(4), "ttl", 0.01, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task Acquire_with_a_ttl_below_the_drift_fails_at_once_with_an_argument_error()
    {
        // Nodes need not answer: the TTL is refused before any command is sent.
        var options = new RedlockOptions();
        options.Nodes.Add("127.0.0.1:1,connectTimeout=100");
        await using var engine = new RedlockEngine(options);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.AcquireAsync("r", TimeSpan.FromMilliseconds(2)));

        Assert.Equal("ttl", error.ParamName);
    }
}
