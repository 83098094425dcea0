using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace RedlockAspects.Benchmarks.Contention;

/// <summary>
/// One hot key, 1 ms hold, for a fixed time: 8 workers in one process, then the same 8 workers spread over real child
/// processes of this program (4 × 2 and 8 × 1). For each library, same nodes, same run: throughput, acquisitions per
/// worker (min / max), waits (p50 / p99 / max) and the hand-over gap, from a holder beginning its release to the next
/// holder's grant (p50 / p99). Every library opens its own connections in every process, as a real service would.
/// </summary>
internal static class ContentionRun
{
    private static readonly (int Processes, int Workers)[] Shapes = [(1, 8), (4, 2), (8, 1)];

    /// <param name="duration">How long each row runs.</param>
    /// <param name="output">Where the report goes.</param>
    /// <param name="only">When not empty, only the shapes ("4x2") and libraries ("ours") named here.</param>
    public static async Task RunAsync(TimeSpan duration, TextWriter output, IReadOnlyCollection<string> only)
    {
        await using var nodes = await BenchmarkNodes.StartAsync();
        var connectionStrings = nodes.Nodes.ConnectionStrings;
        if (only.Count == 0 || only.Contains("first"))
        {
            await FirstAcquireRun.RunAsync(connectionStrings, output);
            if (only.Count == 1)
            {
                return;
            }
        }

        output.WriteLine();
        output.WriteLine($"Contention: one key, {ContenderRun.Hold.TotalMilliseconds} ms hold, {duration.TotalSeconds} s each, 3 {BenchmarkNodes.Backend} nodes, machine load {LoadAverage()}");
        output.WriteLine($"  {"shape",-6} {"library",-28} {"acq/s",6} {"vs 1x8",6} {"min/wkr",7} {"max/wkr",7} {"min/max",7} {"p50 wait",9} {"p99 wait",9} {"max wait",9} {"gap p50",8} {"gap p99",8} {"hold p50",8}");
        var inProcess = new Dictionary<string, double>();
        var shapes = Shapes.Where(s => Selected(only, s.Processes + "x" + s.Workers, Shapes.Select(x => x.Processes + "x" + x.Workers))).ToArray();
        foreach (var (processes, workers) in shapes)
        {
            foreach (var library in LockLibrary.Names.Where(l => Selected(only, l, LockLibrary.Names)))
            {
                var key = $"contention:{library}:{processes}x{workers}";
                var samples = processes == 1
                    ? [await RunHereAsync(library, workers, key, connectionStrings, duration)]
                    : await RunInChildrenAsync(library, processes, workers, key, connectionStrings, duration);
                var row = Summarize(samples, duration);
                if (processes == 1)
                {
                    inProcess[library] = row.PerSecond;
                }

                var versus = inProcess.TryGetValue(library, out var baseline) && baseline > 0 ? row.PerSecond / baseline : double.NaN;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {processes + "x" + workers,-6} {LockLibrary.Describe(library),-28} {row.PerSecond,6:0} {versus,6:0.00} {row.MinPerWorker,7} {row.MaxPerWorker,7} {row.Evenness,7:0.00} {row.WaitP50,7:0.0}ms {row.WaitP99,7:0.0}ms {row.WaitMax,7:0.0}ms {row.GapP50,6:0.00}ms {row.GapP99,6:0.00}ms {row.HoldP50,6:0.00}ms{(row.Failures > 0 ? $"  ({row.Failures} timed out)" : "")}"));
            }
        }
    }

    private static async Task<ProcessSamples> RunHereAsync(string library, int workers, string key, IReadOnlyList<string> nodes, TimeSpan duration)
    {
        await using var opened = await LockLibrary.OpenAsync(library, nodes, key);
        await ContenderRun.WarmUpAsync(library, nodes, key, workers);
        if (await opened.AcquireAsync() is { } first)
        {
            await first.DisposeAsync();
        }

        return await ContenderRun.RunAsync(opened, workers, Stopwatch.GetTimestamp(), duration);
    }

    private static async Task<ProcessSamples[]> RunInChildrenAsync(string library, int processes, int workers, string key, IReadOnlyList<string> nodes, TimeSpan duration)
    {
        var children = new List<Process>();
        try
        {
            for (var p = 0; p < processes; p++)
            {
                children.Add(StartChild(library, workers, key, nodes, duration));
            }

            foreach (var child in children)
            {
                var first = await child.StandardOutput.ReadLineAsync();
                if (first != "READY")
                {
                    throw new InvalidOperationException($"a child process did not start: {first} {await child.StandardError.ReadToEndAsync()}");
                }
            }

            // Every child is connected: start them all at one instant of the shared monotonic clock.
            var startAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync(startAt.ToString(CultureInfo.InvariantCulture));
                await child.StandardInput.FlushAsync();
            }

            var results = new ProcessSamples[processes];
            for (var p = 0; p < processes; p++)
            {
                var text = await children[p].StandardOutput.ReadToEndAsync();
                await children[p].WaitForExitAsync();
                if (children[p].ExitCode != 0)
                {
                    throw new InvalidOperationException($"child {p} failed: {await children[p].StandardError.ReadToEndAsync()}");
                }

                results[p] = ProcessSamples.Read(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            return results;
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill();
                }

                child.Dispose();
            }
        }
    }

    private static Process StartChild(string library, int workers, string key, IReadOnlyList<string> nodes, TimeSpan duration)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path");
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var arg in (string[])["--contention-child", library, workers.ToString(CultureInfo.InvariantCulture), key,
                     duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture), string.Join(';', nodes)])
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start a child process");
    }

    private static Row Summarize(ProcessSamples[] processes, TimeSpan duration)
    {
        var perWorker = processes.SelectMany(p => p.Workers).Select(w => w.Count).ToArray();
        var grants = processes.SelectMany(p => p.Workers).SelectMany(w => w).OrderBy(g => g.Granted).ToArray();
        var waits = grants.Select(g => Ms(g.Granted - g.Asked)).Order().ToArray();
        var gaps = new List<double>(grants.Length);
        for (var i = 1; i < grants.Length; i++)
        {
            // Only hand-overs: the next holder was already waiting when the previous one began to release.
            if (grants[i].Asked < grants[i - 1].Released)
            {
                gaps.Add(Ms(grants[i].Granted - grants[i - 1].Released));
            }
        }

        var sortedGaps = gaps.Order().ToArray();
        var holds = grants.Select(g => Ms(g.Released - g.Granted)).Order().ToArray();
        var min = perWorker.Length == 0 ? 0 : perWorker.Min();
        var max = perWorker.Length == 0 ? 0 : perWorker.Max();
        return new Row(
            grants.Length / duration.TotalSeconds, min, max, max == 0 ? 0 : (double)min / max,
            Percentile(waits, 0.50), Percentile(waits, 0.99), waits.LastOrDefault(),
            Percentile(sortedGaps, 0.50), Percentile(sortedGaps, 0.99), Percentile(holds, 0.50), processes.Sum(p => p.Failures));
    }

    private static bool Selected(IReadOnlyCollection<string> only, string name, IEnumerable<string> kind) =>
        !only.Any(kind.Contains) || only.Contains(name);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private readonly record struct Row(
        double PerSecond, int MinPerWorker, int MaxPerWorker, double Evenness,
        double WaitP50, double WaitP99, double WaitMax, double GapP50, double GapP99, double HoldP50, int Failures);
}
