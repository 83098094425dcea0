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
    private readonly Lock _gate = new();

    // Commands issued while connecting, in the order they were issued: a failed attempt's undo must reach the node after
    // the attempt itself, or a late grant would outlive it.
    private List<Action<IDatabaseAsync?>>? _queued = [];
    private IDatabaseAsync? _database;
    private int _disposed;
    private volatile Topology _topology;

    public RedlockNode(string name, Task<IConnectionMultiplexer> connecting, bool ownsConnection)
    {
        Name = name;
        Health = new NodeHealth(name);
        OwnsConnection = ownsConnection;
        _connecting = connecting;
        if (connecting.IsCompletedSuccessfully)
        {
            _database = connecting.Result.GetDatabase();
            _queued = null;
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

    /// <summary>Whether the node is up, as the engine last saw it.</summary>
    public NodeHealth Health { get; }

    /// <summary>True when the engine opened the connection and must dispose it.</summary>
    public bool OwnsConnection { get; }

    /// <summary>Completes when the first connection attempt has ended, whether it connected or not.</summary>
    public Task Opened => _connecting;

    /// <summary>True once the connection is open and connected.</summary>
    public bool IsConnected => _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected;

    /// <summary>The connection, once it is open.</summary>
    public IConnectionMultiplexer? Connection => _connecting.IsCompletedSuccessfully ? _connecting.Result : null;

    /// <summary>
    /// True once the node's connection has reported a Redis Cluster server. Unknown (false) until it has connected; known
    /// for good once a connected server has said what it is, so that a cluster briefly down is still treated as one and a
    /// plain node costs no further look.
    /// </summary>
    public bool IsCluster
    {
        get
        {
            if (_topology == Topology.Unknown && Connection is { IsConnected: true } connection)
            {
                _topology = ClusterTopology.IsCluster(connection) ? Topology.Cluster : Topology.Plain;
            }

            return _topology == Topology.Cluster;
        }
    }

    /// <summary>Runs <paramref name="command"/> on the node now, or once the connection is open (in the order issued).</summary>
    public Task<TResult> RunAsync<TState, TResult>(Func<IDatabaseAsync, TState, Task<TResult>> command, TState state)
    {
        var database = Volatile.Read(ref _database);
        return database is not null ? command(database, state) : RunOnceConnected(command, state);
    }

    // Apart from RunAsync so that its closure is allocated only while connecting, not on every command.
    private Task<TResult> RunOnceConnected<TState, TResult>(Func<IDatabaseAsync, TState, Task<TResult>> command, TState state)
    {
        var sent = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_queued is not null)
            {
                _queued.Add(database => Send(database, command, state, sent));
                return sent.Task;
            }
        }

        // Connected (or failed) meanwhile.
        Send(Volatile.Read(ref _database), command, state, sent);
        return sent.Task;
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

    private void Send<TState, TResult>(IDatabaseAsync? database, Func<IDatabaseAsync, TState, Task<TResult>> command, TState state, TaskCompletionSource<TResult> sent)
    {
        try
        {
            if (Volatile.Read(ref _disposed) != 0 || database is null)
            {
                var error = _connecting.Exception?.GetBaseException() ?? new ObjectDisposedException(Name);
                sent.TrySetException(error);
                return;
            }

            command(database, state).ContinueWith(
                static (t, s) =>
                {
                    var target = (TaskCompletionSource<TResult>)s!;
                    if (t.IsCompletedSuccessfully)
                    {
                        target.TrySetResult(t.Result);
                    }
                    else if (t.IsCanceled)
                    {
                        target.TrySetCanceled();
                    }
                    else
                    {
                        target.TrySetException(t.Exception!.InnerExceptions);
                    }
                },
                sent,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (Exception e)
        {
            sent.TrySetException(e);
        }
    }

    private void OnConnected(Task<IConnectionMultiplexer> connecting)
    {
        lock (_gate)
        {
            var database = connecting.IsCompletedSuccessfully ? connecting.Result.GetDatabase() : null;

            // The queued commands go first, under the gate, and only then may new commands take the direct path:
            // nothing issued later can overtake them.
            foreach (var send in _queued ?? [])
            {
                send(database);
            }

            _queued = null;
            if (database is not null)
            {
                Volatile.Write(ref _database, database);
            }
        }
    }

    private enum Topology
    {
        Unknown,
        Plain,
        Cluster,
    }
}
