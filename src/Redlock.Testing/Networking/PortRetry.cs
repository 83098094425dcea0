namespace RedlockAspects.Testing.Networking;

/// <summary>Retries listening when a port turns out to be taken (ports are picked, then bound, and someone can win the race).</summary>
internal static class PortRetry
{
    private const int FreshPortAttempts = 10;

    /// <summary>Calls <paramref name="attempt"/> with newly picked ports until one is not taken.</summary>
    public static async Task<T> OnFreshPortAsync<T>(Func<int, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await attempt(LoopbackPorts.PickFree(), cancellationToken).ConfigureAwait(false);
            }
            catch (PortInUseException) when (tries < FreshPortAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="attempt"/> until the port it needs is free or <paramref name="patience"/> runs out.
    /// Used on restart, where the port must stay the same because clients know it.
    /// </summary>
    public static async Task OnSamePortAsync(Func<CancellationToken, Task> attempt, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                await attempt(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PortInUseException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (PortInUseException e)
            {
                throw new InvalidOperationException(
                    $"Cannot listen on 127.0.0.1:{e.Port} again: another process took the port while the node was down.", e);
            }
        }
    }
}
