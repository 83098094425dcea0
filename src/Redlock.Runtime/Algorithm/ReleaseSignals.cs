using System.Collections.Concurrent;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Wakes this process's waiters on a key the moment a lease from the same engine deletes it, instead of
/// leaving them asleep for the rest of their retry delay. Waiters in other processes still poll.
/// </summary>
internal sealed class ReleaseSignals
{
    private readonly ConcurrentDictionary<RedisKey, TaskCompletionSource> _waiting = new();

    /// <summary>Waits for <paramref name="delay"/>, or less if the key is released here first.</summary>
    public async Task WaitAsync(RedisKey key, TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var released = _waiting.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay, timeProvider, stop.Token);
        await Task.WhenAny(released.Task, sleep).ConfigureAwait(false);
        stop.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Wakes everyone waiting on <paramref name="key"/>.</summary>
    public void Signal(RedisKey key)
    {
        if (!_waiting.IsEmpty && _waiting.TryRemove(key, out var released))
        {
            released.TrySetResult();
        }
    }
}
