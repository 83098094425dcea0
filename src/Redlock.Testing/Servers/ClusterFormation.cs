using System.Diagnostics;
using System.Globalization;
using RedlockAspects.Testing.Networking;

namespace RedlockAspects.Testing.Servers;

/// <summary>
/// Turns empty <c>redis-server --cluster-enabled yes</c> processes into one Redis Cluster of masters, as
/// <c>redis-cli --cluster create … --cluster-replicas 0</c> does, but with plain commands: the slots split evenly, distinct
/// config epochs, every node met, then waiting until each node says <c>cluster_state:ok</c> and knows all the others.
/// No <c>redis-cli</c> needed, and no second of waiting that it adds.
/// </summary>
internal static class ClusterFormation
{
    public const int SlotCount = 16384;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    public static async Task FormAsync(IReadOnlyList<int> ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            var (first, last) = SlotsOf(i, ports.Count);
            var addSlots = new List<string>(last - first + 3) { "CLUSTER", "ADDSLOTS" };
            for (var slot = first; slot <= last; slot++)
            {
                addSlots.Add(slot.ToString(CultureInfo.InvariantCulture));
            }

            await SendAsync(ports[i], addSlots, cancellationToken).ConfigureAwait(false);

            // Distinct epochs up front, so the nodes need not first resolve a collision between equal ones.
            await SendAsync(ports[i], ["CLUSTER", "SET-CONFIG-EPOCH", (i + 1).ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        for (var i = 1; i < ports.Count; i++)
        {
            await SendAsync(ports[0], ["CLUSTER", "MEET", "127.0.0.1", ports[i].ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        await WaitUntilFormedAsync(ports, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first and last slot master <paramref name="index"/> of <paramref name="count"/> serves.</summary>
    public static (int First, int Last) SlotsOf(int index, int count) =>
        (SlotCount * index / count, (SlotCount * (index + 1) / count) - 1);

    /// <summary>Waits until every node says <c>cluster_state:ok</c> and knows all the others.</summary>
    public static async Task WaitUntilFormedAsync(IReadOnlyList<int> ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var known = string.Create(CultureInfo.InvariantCulture, $"cluster_known_nodes:{ports.Count}\r\n");
        var stopwatch = Stopwatch.StartNew();
        var waiting = ports.ToList();
        var lastInfo = string.Empty;
        while (true)
        {
            for (var i = waiting.Count - 1; i >= 0; i--)
            {
                lastInfo = await SendAsync(waiting[i], ["CLUSTER", "INFO"], cancellationToken).ConfigureAwait(false) ?? string.Empty;
                if (lastInfo.Contains("cluster_state:ok\r\n", StringComparison.Ordinal) && lastInfo.Contains(known, StringComparison.Ordinal))
                {
                    waiting.RemoveAt(i);
                }
            }

            if (waiting.Count == 0)
            {
                return;
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The Redis Cluster on ports {string.Join(", ", ports)} did not form within {timeout.TotalSeconds:0.#} s; " +
                    $"node 127.0.0.1:{waiting[0]} still says:{Environment.NewLine}{lastInfo}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<string?> SendAsync(int port, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RespClient.SendAsync(port, args, CommandTimeout, cancellationToken);
}
