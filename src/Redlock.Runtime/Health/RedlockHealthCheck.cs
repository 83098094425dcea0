using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RedlockAspects;

/// <summary>
/// The health of one engine's nodes: Healthy when every node answers, Degraded while a quorum answers but not all
/// (locks still work, with less room for failure), and the registration's failure status (Unhealthy by default) below
/// a quorum, when no lock can be taken. The data names each node with its state and round-trip time. It uses what the
/// engine already knows from its own traffic and pings only the nodes it has not heard from recently.
/// </summary>
public sealed class RedlockHealthCheck : IHealthCheck
{
    /// <summary>How recent a node's last answer (or failure) must be to be used without a ping: 5 seconds.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly RedlockEngine _engine;

    /// <summary>Creates the check for <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine whose nodes to check.</param>
    public RedlockHealthCheck(RedlockEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var nodes = await _engine.CheckNodesAsync(MaxAge, cancellationToken).ConfigureAwait(false);
        var up = nodes.Count(n => n.Health == RedlockNodeHealth.Up);
        var quorum = _engine.Quorum;

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["quorum"] = quorum,
            ["nodesUp"] = up,
            ["nodes"] = nodes.Count,
        };
        foreach (var node in nodes)
        {
            data[node.Node] = Describe(node);
        }

        var down = string.Join("; ", nodes.Where(n => n.Health != RedlockNodeHealth.Up).Select(n => $"{n.Node} {RedlockTelemetry.StateName(n.Health)}{(n.Detail is null ? string.Empty : $" ({n.Detail})")}"));
        var counts = string.Create(CultureInfo.InvariantCulture, $"{up} of {nodes.Count} Redis nodes up, a lock needs {quorum}");
        if (up == nodes.Count)
        {
            return HealthCheckResult.Healthy(counts, data);
        }

        if (up >= quorum)
        {
            return HealthCheckResult.Degraded($"{counts}; locks still work. Down: {down}", data: data);
        }

        return new HealthCheckResult(context.Registration.FailureStatus, $"{counts}; no lock can be taken. Down: {down}", data: data);
    }

    // Plain values only, so that any health report writer can serialize them.
    private static Dictionary<string, object> Describe(RedlockNodeStatus node)
    {
        var entry = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["state"] = RedlockTelemetry.StateName(node.Health),
            ["since"] = node.Since,
        };
        if (node.RoundTrip is { } roundTrip)
        {
            entry["roundTripMs"] = Math.Round(roundTrip.TotalMilliseconds, 3);
        }

        if (node.LastSeen is { } lastSeen)
        {
            entry["lastSeen"] = lastSeen;
        }

        if (node.Detail is { } detail)
        {
            entry["detail"] = detail;
        }

        return entry;
    }
}
