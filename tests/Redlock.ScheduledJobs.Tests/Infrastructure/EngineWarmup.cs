namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>
/// Takes and releases a throwaway lock until it works. A just-built engine's first round trips can outlast the
/// 250 ms node timeout on a busy 2-core machine (connections, script loading, JIT), and the jobs under test make a
/// single attempt (WaitMs = 0): without this, the first firing could fail with "no quorum" for reasons that have
/// nothing to do with what the test checks.
/// </summary>
public static class EngineWarmup
{
    public static async Task WaitUntilReadyAsync(IRedlock redlock, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                var lease = await redlock.TryAcquireAsync($"warmup:{name}:{Guid.NewGuid():N}", TimeSpan.FromSeconds(1));
                if (lease is not null)
                {
                    await lease.ReleaseAsync();
                    return;
                }
            }
            catch (RedlockNoQuorumException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(50);
        }
    }
}
