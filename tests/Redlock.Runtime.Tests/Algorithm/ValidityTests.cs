using RedlockAspects.Algorithm;

namespace RedlockAspects.Tests.Algorithm;

public class ValidityTests
{
    [Fact]
    public void Drift_is_ttl_times_factor_plus_two_milliseconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(12), Validity.Drift(TimeSpan.FromSeconds(1), 0.01));
        Assert.Equal(TimeSpan.FromMilliseconds(2), Validity.Drift(TimeSpan.FromSeconds(1), 0));
    }

    [Fact]
    public void Validity_is_ttl_minus_elapsed_minus_drift()
    {
        var validity = Validity.Remaining(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), 0.01);

        Assert.Equal(TimeSpan.FromMilliseconds(888), validity);
    }

    [Fact]
    public void A_slow_attempt_has_no_validity_left()
    {
        var validity = Validity.Remaining(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(60), 0.01);

        Assert.True(validity < TimeSpan.Zero);
    }
}
