using Microsoft.Extensions.Options;
using RedlockAspects;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Locks over connections the application already has in its container (for example the <see cref="IConnectionMultiplexer"/>s
/// that Aspire's Redis integration registers) instead of connections the engine opens from node strings.
/// </summary>
/// <remarks>
/// Each connection is one Redlock node, so a quorum needs connections to independent Redis servers (not replicas of one
/// another); one connection is single-node mode. The engine never disposes these connections, whoever made them: the
/// container disposes those it created, and the application those it created itself. They may be combined with
/// <see cref="RedlockOptions.Nodes"/>, whose connections the engine opens and disposes.
/// </remarks>
public static class RedlockOptionsBuilderExtensions
{
    /// <summary>
    /// Adds, as nodes, the <see cref="IConnectionMultiplexer"/>s registered under <paramref name="serviceKeys"/> (for
    /// example with Aspire's <c>builder.AddKeyedRedisClient("redis1")</c>), one node per key, in order. With no keys, adds
    /// the container's plain (not keyed) <see cref="IConnectionMultiplexer"/> registrations, usually the single one from
    /// <c>builder.AddRedisClient("redis")</c>: single-node mode.
    /// </summary>
    /// <param name="builder">The builder that <c>AddRedlock</c> or <c>AddKeyedRedlock</c> returned.</param>
    /// <param name="serviceKeys">The connections' service keys; none for the plain registrations.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException">When the options are built (at start-up): a key has no <see cref="IConnectionMultiplexer"/> registered, or, with no keys, none is registered at all.</exception>
    public static OptionsBuilder<RedlockOptions> UseConnectionsFromServices(this OptionsBuilder<RedlockOptions> builder, params object[] serviceKeys)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKeys);
        var keys = serviceKeys.ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is null)
            {
                throw new ArgumentException($"serviceKeys[{i}] is null; pass the key each IConnectionMultiplexer is registered under, or no keys for the plain registration.", nameof(serviceKeys));
            }
        }

        return builder.UseConnections(services => keys.Length == 0 ? PlainConnections(services) : KeyedConnections(services, keys));
    }

    /// <summary>
    /// Adds, as nodes, the connections <paramref name="connections"/> picks from the container, one node per connection, in
    /// order: for example <c>sp =&gt; [sp.GetRequiredKeyedService&lt;IConnectionMultiplexer&gt;("redis1"), …]</c>.
    /// </summary>
    /// <param name="builder">The builder that <c>AddRedlock</c> or <c>AddKeyedRedlock</c> returned.</param>
    /// <param name="connections">Picks the connections; runs once, when the options are built.</param>
    /// <returns>The same builder.</returns>
    public static OptionsBuilder<RedlockOptions> UseConnections(this OptionsBuilder<RedlockOptions> builder, Func<IServiceProvider, IEnumerable<IConnectionMultiplexer>> connections)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connections);
        return builder.Configure<IServiceProvider>((options, services) =>
        {
            foreach (var connection in connections(services) ?? [])
            {
                options.Connections.Add(connection);
            }
        });
    }

    private static IEnumerable<IConnectionMultiplexer> PlainConnections(IServiceProvider services)
    {
        var found = services.GetServices<IConnectionMultiplexer>().ToArray();
        if (found.Length == 0)
        {
            throw new InvalidOperationException(
                "UseConnectionsFromServices() found no IConnectionMultiplexer in the container; register one (for example with Aspire's builder.AddRedisClient(\"redis\")) or pass the keys of keyed ones.");
        }

        return found;
    }

    private static IEnumerable<IConnectionMultiplexer> KeyedConnections(IServiceProvider services, object[] keys)
    {
        var found = new IConnectionMultiplexer[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            found[i] = services.GetKeyedService<IConnectionMultiplexer>(keys[i])
                ?? throw new InvalidOperationException(
                    $"UseConnectionsFromServices: no IConnectionMultiplexer is registered under the key '{keys[i]}'; register it (for example with Aspire's builder.AddKeyedRedisClient(\"{keys[i]}\")) or fix the key.");
        }

        return found;
    }
}
