using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// Reads one configured node string (<c>host:port</c>, with StackExchange.Redis options after commas) and says what is
/// wrong with it, naming the node. A string that is not an endpoint must stop start-up: accepted, it would quietly leave
/// the engine running on fewer nodes than the quorum was computed for.
/// </summary>
internal static partial class NodeAddress
{
    private const int DefaultPort = 6379;

    // StackExchange.Redis connects to 6380 when ssl=true and no port is given.
    private const int DefaultTlsPort = 6380;

    /// <summary>Parses a node string that <see cref="Problem"/> accepted.</summary>
    public static ConfigurationOptions Parse(string node) => ConfigurationOptions.Parse(node);

    /// <summary>
    /// What is wrong with <paramref name="node"/>, or <c>null</c>; <paramref name="endpoints"/> are its endpoints (several
    /// for a Redis Cluster) for finding a node listed twice. Messages never show a password.
    /// </summary>
    public static string? Problem(string node, string label, out IReadOnlyList<string>? endpoints)
    {
        endpoints = null;
        if (string.IsNullOrWhiteSpace(node))
        {
            return $"{label} is empty; each node needs a connection string such as '127.0.0.1:6379'.";
        }

        var shown = Redact(node);
        if (node.Contains("://", StringComparison.Ordinal))
        {
            return $"{label} '{shown}' is a URI; write host:port (for example '127.0.0.1:6379'), with options after commas ('redis1:6379,password=…,ssl=true').";
        }

        ConfigurationOptions config;
        try
        {
            config = Parse(node);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return $"{label} '{shown}' is not a valid connection string: {Redact(e.Message)}";
        }

        if (config.EndPoints.Count == 0)
        {
            return $"{label} '{shown}' names no endpoint; write host:port, for example '127.0.0.1:6379'.";
        }

        var described = new List<string>(config.EndPoints.Count);
        foreach (var endpoint in config.EndPoints)
        {
            if (Describe(endpoint, DefaultPortOf(config)) is not { } name)
            {
                return $"{label} '{shown}' does not name a host and port; write host:port, for example '127.0.0.1:6379'.";
            }

            described.Add(name);
        }

        endpoints = described;
        return null;
    }

    /// <summary><paramref name="text"/> with the value of every <c>password=</c> option, and the user part of a URI, replaced by <c>***</c>.</summary>
    public static string Redact(string text) => UriCredentials().Replace(PasswordOption().Replace(text, "$1***"), "$1***@");

    /// <summary>The name reports use: the first endpoint.</summary>
    public static string NameOf(ConfigurationOptions config, string fallback) =>
        config.EndPoints.Count > 0 && Describe(config.EndPoints[0], DefaultPortOf(config)) is { } name ? name : Redact(fallback);

    /// <summary>The name of a connection the caller made.</summary>
    public static string NameOf(IConnectionMultiplexer connection)
    {
        var endpoints = connection.GetEndPoints();
        return endpoints.Length > 0 && Describe(endpoints[0]) is { } name ? name : connection.ClientName;
    }

    /// <summary><c>host:port</c> (lower-case host, default port filled in), or <c>null</c> when the endpoint names no usable host.</summary>
    public static string? Describe(EndPoint endpoint, int defaultPort = DefaultPort)
    {
        switch (endpoint)
        {
            case DnsEndPoint dns:
                if (string.IsNullOrWhiteSpace(dns.Host) || Uri.CheckHostName(dns.Host) == UriHostNameType.Unknown || dns.Port is < 0 or > 65535)
                {
                    return null;
                }

                return $"{dns.Host.ToLowerInvariant()}:{(dns.Port == 0 ? defaultPort : dns.Port)}";
            case IPEndPoint ip:
                if (ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any) || ip.Address.Equals(IPAddress.None))
                {
                    return null;
                }

                var host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip.Address}]" : ip.Address.ToString();
                return $"{host}:{(ip.Port == 0 ? defaultPort : ip.Port)}";
            default:
                return endpoint.ToString();
        }
    }

    private static int DefaultPortOf(ConfigurationOptions config) => config.Ssl ? DefaultTlsPort : DefaultPort;

    // A password ends at the next comma, as in StackExchange.Redis's own parser.
    [GeneratedRegex(@"(password\s*=)[^,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();

    // redis://user:password@host: a URI is refused, but its message must not show what it carries.
    [GeneratedRegex(@"(://)[^@/,]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UriCredentials();
}
