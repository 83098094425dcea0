using System.Diagnostics;
using System.Globalization;

namespace RedlockAspects.Benchmarks.Interleaved;

/// <summary>
/// The uncontended benchmark's operations, interleaved: each round runs a block of every operation back to back, and the
/// report gives each operation's median over rounds and the median of its per-round ratio to the raw commands. A shared
/// machine drifts by more than the difference being measured; operations measured one after another (as BenchmarkDotNet
/// does) take the drift as a difference, operations measured in the same round share it.
/// </summary>
internal static class InterleavedUncontendedRun
{
    private const int Rounds = 25;
    private const int PerBlock = 400;

    public static async Task RunAsync(TextWriter output)
    {
        var bench = new UncontendedAcquireRelease();
        await bench.SetupAsync();
        try
        {
            (string Name, Func<Task> Run)[] operations =
            [
                ("raw commands", bench.RawCommands),
                ("RedlockAspects", bench.RedlockAspects),
                ("RedlockAspects fair", bench.RedlockAspectsFair),
                ("RedLock.net 2.3.2", bench.RedLockNet),
                ("DistributedLock.Redis 1.1.1", bench.DistributedLockRedis),
            ];

            // One round unmeasured: JIT and connections.
            var perOp = operations.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round <= Rounds; round++)
            {
                for (var o = 0; o < operations.Length; o++)
                {
                    // Rotate the order so that no operation always follows the same one.
                    var index = (o + round) % operations.Length;
                    var started = Stopwatch.GetTimestamp();
                    for (var i = 0; i < PerBlock; i++)
                    {
                        await operations[index].Run();
                    }

                    if (round > 0)
                    {
                        perOp[index].Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / PerBlock);
                    }
                }
            }

            output.WriteLine($"Uncontended acquire + release, interleaved: {Rounds} rounds of {PerBlock} of each, 3 {BenchmarkNodes.Backend} nodes");
            output.WriteLine($"  {"operation",-28} {"median",9} {"ratio to raw (median of rounds)",32} {"rounds below raw",17}");
            for (var o = 0; o < operations.Length; o++)
            {
                var ratios = perOp[o].Zip(perOp[0], (x, raw) => x / raw).ToList();
                var below = ratios.Count(r => r < 1.0);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {operations[o].Name,-28} {Median(perOp[o]),6:0.0} us {Median(ratios),31:0.000}x {below,10} of {Rounds}"));
            }
        }
        finally
        {
            await bench.CleanupAsync();
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
