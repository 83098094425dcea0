using Microsoft.Extensions.Logging.Abstractions;
using RedlockAspects.Algorithm;
using RedlockAspects.Nodes;

namespace RedlockAspects.Tests.Algorithm;

public class RetryPolicyTests
{
    private static EngineContext Context(RedlockOptions options) =>
        new(Array.Empty<RedlockNode>(), options, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public void Retry_count_bounds_the_attempts()
    {
        var policy = new RetryPolicy(Context(new RedlockOptions { RetryCount = 2 }), RedlockAcquireOptions.Default);

        Assert.NotNull(policy.NextDelay(1, TimeSpan.Zero));
        Assert.NotNull(policy.NextDelay(2, TimeSpan.Zero));
        Assert.Null(policy.NextDelay(3, TimeSpan.Zero));
    }

    [Fact]
    public void Jitter_spreads_the_delay_either_way_as_node_redlock_does()
    {
        var policy = new RetryPolicy(Context(new RedlockOptions { RetryDelay = TimeSpan.FromMilliseconds(200), RetryJitter = TimeSpan.FromMilliseconds(100) }), RedlockAcquireOptions.Default);

        var delays = Enumerable.Range(0, 2000).Select(_ => policy.NextDelay(1, TimeSpan.Zero)!.Value).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
        Assert.Contains(delays, d => d < TimeSpan.FromMilliseconds(150));
        Assert.Contains(delays, d => d > TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Jitter_larger_than_the_delay_never_gives_a_negative_pause()
    {
        var policy = new RetryPolicy(Context(new RedlockOptions { RetryDelay = TimeSpan.FromMilliseconds(10), RetryJitter = TimeSpan.FromMilliseconds(200) }), RedlockAcquireOptions.Default);

        var delays = Enumerable.Range(0, 500).Select(_ => policy.NextDelay(1, TimeSpan.Zero)!.Value).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(210)));
    }

    [Fact]
    public void Without_a_wait_budget_a_queued_waiter_gets_the_time_its_attempts_could_have_taken()
    {
        var options = new RedlockOptions { RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(100), RetryJitter = TimeSpan.FromMilliseconds(50), NodeTimeout = TimeSpan.FromMilliseconds(50) };
        var policy = new RetryPolicy(Context(options), RedlockAcquireOptions.Default);

        // (100 + 50 + 50 ms) × 3 attempts: a waiter that spends its turns queued behind others stops there...
        Assert.False(policy.QueuedTooLong(TimeSpan.FromMilliseconds(599)));
        Assert.True(policy.QueuedTooLong(TimeSpan.FromMilliseconds(600)));

        // ...while real attempts are bounded by the retry count alone, however long they took.
        Assert.NotNull(policy.NextDelay(2, TimeSpan.FromSeconds(30)));
        Assert.Null(policy.NextDelay(3, TimeSpan.Zero));
    }

    [Fact]
    public void The_wait_budget_stops_retries_and_clips_the_last_delay()
    {
        var options = new RedlockAcquireOptions { RetryCount = -1, MaxWait = TimeSpan.FromMilliseconds(500), RetryDelay = TimeSpan.FromMilliseconds(200), RetryJitter = TimeSpan.Zero };
        var policy = new RetryPolicy(Context(new RedlockOptions()), options);

        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.NextDelay(100, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromMilliseconds(50), policy.NextDelay(100, TimeSpan.FromMilliseconds(450)));
        Assert.Null(policy.NextDelay(100, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void A_zero_wait_budget_means_a_single_attempt()
    {
        var policy = new RetryPolicy(Context(new RedlockOptions()), new RedlockAcquireOptions { MaxWait = TimeSpan.Zero });

        Assert.Null(policy.NextDelay(1, TimeSpan.Zero));
    }

    [Fact]
    public void Per_call_settings_override_the_engine()
    {
        var policy = new RetryPolicy(Context(new RedlockOptions { RetryCount = 0 }), new RedlockAcquireOptions { RetryCount = 3 });

        Assert.NotNull(policy.NextDelay(3, TimeSpan.Zero));
        Assert.Null(policy.NextDelay(4, TimeSpan.Zero));
    }
}
