using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>
/// Three real nodes per backend, started on first use and shared by every test in the collection (each test locks
/// under its own key prefix, so they never meet on a key).
/// </summary>
public sealed class NodeGroups : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<RedisBackend, RedisTestNodes> _groups = [];

    public async Task<RedisTestNodes> GetAsync(RedisBackend backend)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_groups.TryGetValue(backend, out var nodes))
            {
                nodes = await RedisTestNodes.StartAsync(backend, 3);
                _groups[backend] = nodes;
            }

            return nodes;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var nodes in _groups.Values)
        {
            await nodes.DisposeAsync();
        }

        _gate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class NodesCollection : ICollectionFixture<NodeGroups>
{
    public const string Name = "nodes";
}
