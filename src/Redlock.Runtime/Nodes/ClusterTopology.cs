using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>Tells whether a connection reaches a Redis Cluster, where every script's keys must share one hash slot.</summary>
internal static class ClusterTopology
{
    public static bool IsCluster(IConnectionMultiplexer connection)
    {
        try
        {
            foreach (var server in connection.GetServers())
            {
                if (server.ServerType == ServerType.Cluster)
                {
                    return true;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed with the engine: nothing more will be sent to it.
        }

        return false;
    }
}
