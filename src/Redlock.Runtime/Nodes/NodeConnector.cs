using RedlockAspects.Algorithm;
using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// Opens connections for configured node strings without waiting for them: a node that is down or frozen must not
/// stall the engine's constructor (and with it the application's start), it joins when it answers.
/// </summary>
internal static class NodeConnector
{
    public static RedlockNode Connect(string connectionString, Action<ConfigurationOptions>? configure = null)
    {
        var config = NodeAddress.Parse(connectionString);

        // The caller's adjustments first (a private certificate authority, a client certificate); the engine's own
        // connection policy below must hold whatever they set.
        configure?.Invoke(config);

        // A node that is down at start-up must not stop the application: connect in the background and keep retrying.
        config.AbortOnConnectFail = false;

        // Commands to a disconnected node must fail at once, not queue: the quorum logic counts the failure and moves on.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ClientName ??= "redlock-aspects";

        // A node that comes back should rejoin the quorum (and get its fencing counters back) within about a second,
        // not after the client's exponential back-off has grown to several seconds.
        config.ReconnectRetryPolicy = new LinearRetry(500);

        return new RedlockNode(NodeAddress.NameOf(config, connectionString), ConnectAndWarmAsync(config), ownsConnection: true);
    }

    public static RedlockNode Wrap(IConnectionMultiplexer connection)
    {
        _ = LoadScriptsAsync(connection);
        return new RedlockNode(NodeAddress.NameOf(connection), Task.FromResult(connection), ownsConnection: false);
    }

    private static async Task<IConnectionMultiplexer> ConnectAndWarmAsync(ConfigurationOptions config)
    {
        // Off the caller's thread before anything can block, so that the constructor returns at once.
        await Task.Yield();
        var connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        _ = LoadScriptsAsync(connection);
        return connection;
    }

    /// <summary>Loads the lock scripts so that the first multi-resource acquire, extend and release send EVALSHA, not the script text.</summary>
    private static async Task LoadScriptsAsync(IConnectionMultiplexer connection)
    {
        try
        {
            foreach (var endpoint in connection.GetEndPoints())
            {
                var server = connection.GetServer(endpoint);
                foreach (var script in LockScripts.All)
                {
                    await server.ScriptLoadAsync(script).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException or NotSupportedException or InvalidOperationException or TimeoutException)
        {
            // A node that is not up yet: the scripts go out in full on first use instead.
        }
    }
}
