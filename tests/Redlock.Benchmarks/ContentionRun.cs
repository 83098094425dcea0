using System.Diagnostics;
using Medallion.Threading.Redis;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;

namespace RedlockAspects.Benchmarks;

/// <summary>
/// One hot key: 8 workers in one process, each holding the lock for 1 ms, for a fixed time. Reports throughput and
/// how evenly the lock was shared (acquisitions per worker, p50/p99/longest wait) for each library, same nodes, same run.
/// </summary>
internal static class ContentionRun
{
    private const int Workers = 8;
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(TimeSpan duration, TextWriter output)
    {
        await using var nodes = await BenchmarkNodes.StartAsync();
        output.WriteLine($"Contention: {Workers} workers, one key, {Hold.TotalMilliseconds} ms hold, {duration.TotalSeconds} s each, 3 {BenchmarkNodes.Backend} nodes");
        output.WriteLine($"  {"library",-28} {"acq/s",7} {"min/worker",10} {"max/worker",10} {"p50 wait",9} {"p99 wait",9} {"max wait",9}");

        await using (var engine = nodes.CreateEngine(o => o.RetryCount = -1))
        {
            var options = new RedlockAcquireOptions { MaxWait = MaxWait };
            await MeasureAsync("RedlockAspects", duration, output, async () =>
            {
                var lease = await engine.AcquireAsync("contention:ours", Ttl, options);
                return lease;
            });
        }

        using (var factory = RedLockFactory.Create(nodes.Connections.Select(c => new RedLockMultiplexer(c)).ToList()))
        {
            await MeasureAsync("RedLock.net 2.3.2", duration, output, async () =>
            {
                var redLock = await factory.CreateLockAsync("contention:redlocknet", Ttl, MaxWait, TimeSpan.FromMilliseconds(20));
                if (!redLock.IsAcquired)
                {
                    redLock.Dispose();
                    return null;
                }

                return redLock;
            });
        }

        var distributedLock = new RedisDistributedLock("contention:distributedlock", nodes.Databases);
        await MeasureAsync("DistributedLock.Redis 1.1.1", duration, output, async () => await distributedLock.TryAcquireAsync(MaxWait));
    }

    private static async Task MeasureAsync(string name, TimeSpan duration, TextWriter output, Func<Task<IAsyncDisposable?>> acquire)
    {
        var counts = new int[Workers];
        var waits = new List<double>[Workers];
        var stop = Stopwatch.StartNew();
        var failures = 0;

        async Task Worker(int id)
        {
            waits[id] = [];
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var handle = await acquire();
                if (handle is null)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                waits[id].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                counts[id]++;
                Thread.Sleep(Hold);
                await handle.DisposeAsync();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(id => Task.Run(() => Worker(id))));
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = waits.SelectMany(w => w).Order().ToArray();
        output.WriteLine($"  {name,-28} {counts.Sum() / elapsed,7:0} {counts.Min(),10} {counts.Max(),10} {Percentile(all, 0.50),7:0.0}ms {Percentile(all, 0.99),7:0.0}ms {all.LastOrDefault(),7:0.0}ms{(failures > 0 ? $"  ({failures} timed out)" : "")}");
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
