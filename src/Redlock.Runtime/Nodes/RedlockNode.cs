using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// One independent Redis node of the lock: its name for reports, and the connection that reaches it. The connection may
/// still be opening (the engine never waits for a node at construction); commands sent meanwhile wait for it, under the
/// caller's own node timeout.
/// </summary>
internal sealed class RedlockNode
{
    private readonly Task<IConnectionMultiplexer> _connecting;
    private IDatabaseAsync? _database;
    private int _disposed;

    public RedlockNode(string name, Task<IConnectionMultiplexer> connecting, bool ownsConnection)
    {
        Name = name;
        OwnsConnection = ownsConnection;
        _connecting = connecting;
        if (connecting.IsCompletedSuccessfully)
        {
            _database = connecting.Result.GetDatabase();
        }
        else
        {
            connecting.ContinueWith(
                static (t, s) => ((RedlockNode)s!).OnConnected(t),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    public string Name { get; }

    /// <summary>True when the engine opened the connection and must dispose it.</summary>
    public bool OwnsConnection { get; }

    /// <summary>The connection, once it is open.</summary>
    public IConnectionMultiplexer? Connection => _connecting.IsCompletedSuccessfully ? _connecting.Result : null;

    /// <summary>Runs <paramref name="command"/> on the node now, or once the connection is open.</summary>
    public Task<TResult> RunAsync<TState, TResult>(Func<IDatabaseAsync, TState, Task<TResult>> command, TState state)
    {
        var database = Volatile.Read(ref _database);
        return database is not null ? command(database, state) : RunWhenConnectedAsync(command, state);
    }

    /// <summary>Disposes the connection if the engine owns it, now or when it finishes opening.</summary>
    public ValueTask DisposeAsync()
    {
        if (!OwnsConnection || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        if (_connecting.IsCompletedSuccessfully)
        {
            return _connecting.Result.DisposeAsync();
        }

        _connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="action"/> with the connection once it is open (at once if it is).</summary>
    public void WhenConnected(Action<IConnectionMultiplexer> action) =>
        _connecting.ContinueWith(
            static (t, s) => ((Action<IConnectionMultiplexer>)s!)(t.Result),
            action,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

    public override string ToString() => Name;

    private async Task<TResult> RunWhenConnectedAsync<TState, TResult>(Func<IDatabaseAsync, TState, Task<TResult>> command, TState state)
    {
        var connection = await _connecting.ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, connection);
        return await command(connection.GetDatabase(), state).ConfigureAwait(false);
    }

    private void OnConnected(Task<IConnectionMultiplexer> connecting)
    {
        if (connecting.IsCompletedSuccessfully)
        {
            Volatile.Write(ref _database, connecting.Result.GetDatabase());
        }
    }
}
