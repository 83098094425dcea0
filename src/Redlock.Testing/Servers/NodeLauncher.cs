using RedlockAspects.Testing.Networking;
using RedlockAspects.Testing.Proxy;

namespace RedlockAspects.Testing.Servers;

/// <summary>Starts one node's server on a free port, and its fault proxy when asked for.</summary>
internal static class NodeLauncher
{
    public static async Task<(INodeServer Server, FaultProxy? Proxy)> LaunchAsync(
        RedisBackend backend, string? redisServerPath, RedisTestNodesOptions options, CancellationToken cancellationToken)
    {
        var startTimeout = options.StartTimeout;
        var server = await PortRetry.OnFreshPortAsync(
            async (port, ct) =>
            {
                INodeServer candidate = backend == RedisBackend.Garnet
                    ? new GarnetNodeServer(port)
                    : new RedisServerProcess(redisServerPath!, port, startTimeout);
                try
                {
                    await candidate.StartAsync(ct).ConfigureAwait(false);
                    return candidate;
                }
                catch
                {
                    await candidate.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (!options.FaultProxy)
        {
            return (server, null);
        }

        var proxy = new FaultProxy(server.Port);
        try
        {
            await PortRetry.OnFreshPortAsync(
                async (port, _) =>
                {
                    await proxy.ListenAsync(port).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return (server, proxy);
    }
}
