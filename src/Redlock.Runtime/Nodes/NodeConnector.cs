using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>Opens connections for configured node strings so that a node which is down does not stop start-up.</summary>
internal static class NodeConnector
{
    public static RedlockNode Connect(string connectionString)
    {
        var config = ConfigurationOptions.Parse(connectionString);

        // A node that is down at start-up must not stop the application: connect in the background and keep retrying.
        config.AbortOnConnectFail = false;

        // Commands to a disconnected node must fail at once, not queue: the quorum logic counts the failure and moves on.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ClientName ??= "redlock-aspects";

        var connection = ConnectionMultiplexer.Connect(config);
        return new RedlockNode(NameOf(config, connectionString), connection, ownsConnection: true);
    }

    public static RedlockNode Wrap(IConnectionMultiplexer connection)
    {
        var endpoints = connection.GetEndPoints();
        var name = endpoints.Length > 0 ? Format(endpoints[0]) : connection.ClientName;
        return new RedlockNode(name, connection, ownsConnection: false);
    }

    private static string NameOf(ConfigurationOptions config, string fallback) =>
        config.EndPoints.Count > 0 ? Format(config.EndPoints[0]) : fallback;

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "?",
    };
}
