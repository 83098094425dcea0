namespace RedlockAspects.Testing.Proxy;

/// <summary>An async gate: open, or closed until <see cref="Open"/> releases everyone waiting.</summary>
internal sealed class PauseGate
{
    private readonly object _sync = new();
    private TaskCompletionSource? _closed;

    public bool IsClosed
    {
        get
        {
            lock (_sync)
            {
                return _closed is not null;
            }
        }
    }

    public void Close()
    {
        lock (_sync)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Open()
    {
        TaskCompletionSource? closed;
        lock (_sync)
        {
            closed = _closed;
            _closed = null;
        }

        closed?.TrySetResult();
    }

    /// <summary>Completes at once while open; while closed, completes when the gate opens.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? closed;
        lock (_sync)
        {
            closed = _closed;
        }

        return closed is null ? Task.CompletedTask : closed.Task.WaitAsync(cancellationToken);
    }
}
