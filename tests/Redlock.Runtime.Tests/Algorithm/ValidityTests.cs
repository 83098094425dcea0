using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RedlockAspects.Algorithm;
using RedlockAspects.Nodes;

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
    public void Validity_runs_from_the_attempt_start_for_ttl_minus_drift()
    {
        var clock = new FakeTimeProvider();
        var context = new EngineContext(Array.Empty<RedlockNode>(), new RedlockOptions(), clock, NullLogger.Instance);
        var started = clock.GetTimestamp();

        // The answers took 83 ms: the deadline does not move, and 200 − 2 − 2 − 83 = 113 ms are left (not 30, as when
        // the elapsed time was subtracted twice).
        var deadline = Validity.Deadline(context, started, TimeSpan.FromMilliseconds(200));
        clock.Advance(TimeSpan.FromMilliseconds(83));

        Assert.Equal(TimeSpan.FromMilliseconds(113), context.ToTimeSpan(deadline - clock.GetTimestamp()));
    }

    [Fact]
    public void A_slow_attempt_has_no_validity_left()
    {
        Assert.True(Validity.Span(TimeSpan.FromMilliseconds(50), 0.01) < TimeSpan.FromMilliseconds(60));
    }
}
