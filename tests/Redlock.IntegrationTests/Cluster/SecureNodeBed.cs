using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Cluster;

/// <summary>One password-protected redis-server with TLS, shared by a test class.</summary>
public sealed class SecureNodeBed : IAsyncLifetime
{
    private RedisTestSecureNode? _node;
    private ConnectionMultiplexer? _admin;

    public RedisTestSecureNode Node => _node ?? throw new InvalidOperationException("redis-server is not installed.");

    public async Task InitializeAsync()
    {
        if (!AvailableBackends.RedisRequired && !RedisTestNodes.IsRedisServerAvailable())
        {
            return;
        }

        _node = await RedisTestSecureNode.StartAsync("redlock-test-Secret-1", tls: true);
    }

    /// <summary>A plain-text connection with the right password, for looking at keys.</summary>
    public async Task<IDatabase> AdminAsync()
    {
        _admin ??= await ConnectionMultiplexer.ConnectAsync(Node.ConnectionString);
        return _admin.GetDatabase();
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
