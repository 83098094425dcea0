using System.Globalization;
using RedlockAspects.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// Looks at the lock keys directly on each node (an admin connection that bypasses the fault proxy): while the run
/// is on, every key must have an expiry; after it, none may be left.
/// </summary>
internal sealed class KeyAuditor(LockBed bed, string prefix, FaultInjector faults, Violations violations)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);
    private int _audits;
    private int _keysSeen;
    private int _skipped;

    public int Audits => _audits;

    public int KeysSeen => _keysSeen;

    public int Skipped => _skipped;

    /// <summary>Polls every node that is running, unpaused and not in a fault episode until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < bed.Nodes.Nodes.Count; i++)
            {
                if (!Auditable(i))
                {
                    continue;
                }

                try
                {
                    foreach (var (key, pttl) in await KeysAsync(i))
                    {
                        _keysSeen++;

                        // PTTL -2 means the key went away between KEYS and PTTL; only -1 (no expiry) is wrong.
                        if (pttl == -1 && Auditable(i))
                        {
                            violations.Add(ViolationKind.KeyWithoutExpiry, $"node {i}: key '{key}' has no expiry (PTTL -1)");
                        }
                    }

                    _audits++;
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
                {
                    // A fault began while we were looking.
                    _skipped++;
                }
            }

            try
            {
                await Task.Delay(25, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>After the run: keys that stay on any node for <paramref name="patience"/>, with their PTTL.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var left = new List<string>();
            for (var i = 0; i < bed.Nodes.Nodes.Count; i++)
            {
                left.AddRange((await KeysAsync(i)).Select(k => string.Create(CultureInfo.InvariantCulture, $"node {i}: '{k.Key}' PTTL {k.Pttl}")));
            }

            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(50);
        }
    }

    private bool Auditable(int node) => !faults.IsFaulted(node) && bed.Nodes.Nodes[node].IsRunning && !bed.Nodes.Nodes[node].IsPaused;

    private async Task<List<(string Key, long Pttl)>> KeysAsync(int node)
    {
        var db = await bed.NodeAsync(node);
        var keys = (RedisResult[])(await db.ExecuteAsync("KEYS", prefix + "*").WaitAsync(CallTimeout))!;
        var result = new List<(string, long)>(keys.Length);
        foreach (var key in keys)
        {
            var pttl = (long)await db.ExecuteAsync("PTTL", (string)key!).WaitAsync(CallTimeout);
            result.Add(((string)key!, pttl));
        }

        return result;
    }
}
