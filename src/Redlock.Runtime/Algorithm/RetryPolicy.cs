namespace RedlockAspects.Algorithm;

/// <summary>When to try again and how long to sleep first: retry count, delay ± jitter, and the overall wait budget.</summary>
internal readonly struct RetryPolicy
{
    private readonly int _retryCount;
    private readonly TimeSpan _delay;
    private readonly TimeSpan _jitter;
    private readonly TimeSpan? _maxWait;
    private readonly TimeSpan? _queuedBudget;

    public RetryPolicy(EngineContext context, RedlockAcquireOptions options)
    {
        _retryCount = options.RetryCount ?? context.RetryCount;
        _delay = options.RetryDelay ?? context.RetryDelay;
        _jitter = options.RetryJitter ?? context.RetryJitter;
        _maxWait = options.MaxWait ?? context.MaxWait;

        // Without a wait budget, RetryCount bounds the wait. A waiter queued behind others in this process may go several
        // turns without sending a command (those turns are not attempts), so it gets the time its attempts could have
        // taken instead: one retry delay, the whole jitter and a node timeout per attempt.
        if (_maxWait is null && _retryCount >= 0)
        {
            _queuedBudget = (_delay + _jitter + context.NodeTimeout) * (_retryCount + 1);
        }
    }

    /// <summary>The longest pause between two attempts: the delay plus the whole jitter.</summary>
    public TimeSpan LongestPause => _delay + _jitter;

    /// <summary>False when only a single attempt is allowed.</summary>
    public bool AllowsRetry => _retryCount != 0 && _maxWait != TimeSpan.Zero;

    /// <summary>
    /// True when a waiter that is queued behind others in this process (and so sends no command this turn) has waited
    /// as long as its attempts could have taken; real attempts are bounded by the retry count alone.
    /// </summary>
    public bool QueuedTooLong(TimeSpan waited) => _queuedBudget is { } budget && waited >= budget;

    /// <summary>The pause before the next attempt, or <c>null</c> when there is no next attempt.</summary>
    /// <param name="attempts">Attempts made so far (commands actually sent).</param>
    /// <param name="waited">Time spent so far.</param>
    public TimeSpan? NextDelay(int attempts, TimeSpan waited)
    {
        if (_retryCount >= 0 && attempts > _retryCount)
        {
            return null;
        }

        // Node redlock's jitter: delay + a uniform offset in [−jitter, +jitter], never below zero.
        var delay = _delay;
        if (_jitter > TimeSpan.Zero)
        {
            delay += TimeSpan.FromTicks(Random.Shared.NextInt64(-_jitter.Ticks, _jitter.Ticks + 1));
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }
        }

        if (_maxWait is { } budget)
        {
            var left = budget - waited;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            // Spend what is left of the budget on one last attempt rather than giving up early.
            delay = delay < left ? delay : left;
        }

        return delay;
    }
}
