using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// Reads one configured node string (<c>host:port</c>, with StackExchange.Redis options after commas) and says what is
/// wrong with it, naming the node. A string that is not an endpoint must stop start-up: accepted, it would quietly leave
/// the engine running on fewer nodes than the quorum was computed for.
/// </summary>
internal static class NodeAddress
{
    private const int DefaultPort = 6379;

    /// <summary>Parses a node string that <see cref="Problem"/> accepted.</summary>
    public static ConfigurationOptions Parse(string node) => ConfigurationOptions.Parse(node);

    /// <summary>What is wrong with <paramref name="node"/>, or <c>null</c>; <paramref name="identity"/> is its endpoint for finding duplicates.</summary>
    public static string? Problem(string node, string label, out string? identity)
    {
        identity = null;
        if (string.IsNullOrWhiteSpace(node))
        {
            return $"{label} is empty; each node needs a connection string such as '127.0.0.1:6379'.";
        }

        if (node.Contains("://", StringComparison.Ordinal))
        {
            return $"{label} '{node}' is a URI; write host:port (for example '127.0.0.1:6379'), with options after commas ('redis1:6379,password=…,ssl=true').";
        }

        ConfigurationOptions config;
        try
        {
            config = Parse(node);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return $"{label} '{node}' is not a valid connection string: {e.Message}";
        }

        if (config.EndPoints.Count == 0)
        {
            return $"{label} '{node}' names no endpoint; write host:port, for example '127.0.0.1:6379'.";
        }

        var endpoints = new List<string>(config.EndPoints.Count);
        foreach (var endpoint in config.EndPoints)
        {
            if (Describe(endpoint) is not { } described)
            {
                return $"{label} '{node}' does not name a host and port; write host:port, for example '127.0.0.1:6379'.";
            }

            endpoints.Add(described);
        }

        endpoints.Sort(StringComparer.Ordinal);
        identity = string.Join(",", endpoints);
        return null;
    }

    /// <summary>The name reports use: the first endpoint.</summary>
    public static string NameOf(ConfigurationOptions config, string fallback) =>
        config.EndPoints.Count > 0 && Describe(config.EndPoints[0]) is { } name ? name : fallback;

    /// <summary>The name of a connection the caller made.</summary>
    public static string NameOf(IConnectionMultiplexer connection)
    {
        var endpoints = connection.GetEndPoints();
        return endpoints.Length > 0 && Describe(endpoints[0]) is { } name ? name : connection.ClientName;
    }

    /// <summary><c>host:port</c> (lower-case host, default port filled in), or <c>null</c> when the endpoint names no usable host.</summary>
    public static string? Describe(EndPoint endpoint)
    {
        switch (endpoint)
        {
            case DnsEndPoint dns:
                if (string.IsNullOrWhiteSpace(dns.Host) || Uri.CheckHostName(dns.Host) == UriHostNameType.Unknown || dns.Port is < 0 or > 65535)
                {
                    return null;
                }

                return $"{dns.Host.ToLowerInvariant()}:{(dns.Port == 0 ? DefaultPort : dns.Port)}";
            case IPEndPoint ip:
                if (ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any) || ip.Address.Equals(IPAddress.None))
                {
                    return null;
                }

                var host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip.Address}]" : ip.Address.ToString();
                return $"{host}:{(ip.Port == 0 ? DefaultPort : ip.Port)}";
            default:
                return endpoint.ToString();
        }
    }
}
