using Microsoft.Extensions.Configuration;
using RedlockAspects;
using RedlockAspects.Testing;
using ScheduledJobs.Configuration;

namespace ScheduledJobs.Nodes;

// The Redis nodes the instances lock on: given ones (--nodes, or Redlock:Nodes in configuration), or three
// embedded nodes started for the demo and stopped with it.
public sealed class NodeSet : IAsyncDisposable
{
    private readonly RedisTestNodes? _embedded;
    private readonly IConfigurationSection? _section;
    private readonly IReadOnlyList<string> _nodes;

    private NodeSet(string description, IReadOnlyList<string> nodes, IConfigurationSection? section, RedisTestNodes? embedded)
    {
        Description = description;
        _nodes = nodes;
        _section = section;
        _embedded = embedded;
    }

    public string Description { get; }

    // The Redlock section when the nodes come from configuration: AddRedlock reads the whole section (RetryCount,
    // KeyPrefix and the rest too), with its own reader, which needs no reflection and so works under Native AOT.
    public IConfigurationSection? Section => _section;

    public static async Task<NodeSet> ResolveAsync(IConfiguration configuration, DemoSettings settings, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(settings.Nodes))
        {
            var given = settings.Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new NodeSet(Describe(given.Length, "given"), given, null, null);
        }

        var section = configuration.GetSection("Redlock");
        var configured = section.GetSection("Nodes").GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        if (configured.Length > 0)
        {
            return new NodeSet(Describe(configured.Length, "configured"), [], section, null);
        }

        var embedded = await RedisTestNodes.StartAsync(settings.Backend, 3, cancellationToken: ct);
        var name = settings.Backend == RedisBackend.Garnet ? "embedded Garnet" : "local redis-server";
        return new NodeSet(Describe(3, name), embedded.ConnectionStrings, null, embedded);
    }

    public void Configure(RedlockOptions options)
    {
        foreach (var node in _nodes)
        {
            options.Nodes.Add(node);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }

    private static string Describe(int count, string kind) => count == 1 ? $"1 {kind} node (single-node mode: plain SET NX PX)" : $"{count} {kind} nodes";
}
