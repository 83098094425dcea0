using System.Diagnostics;
using System.Globalization;

namespace RedlockAspects.Benchmarks.Contention;

/// <summary>
/// The workers of one process: each loops acquire, hold 1 ms, release on one hot key from a shared start instant until
/// the end, and records every grant. Timestamps are <see cref="Stopwatch"/> ticks, the system's monotonic clock, which
/// every process on the machine shares, so the parent can merge grants from all processes into one timeline.
/// </summary>
internal static class ContenderRun
{
    public static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="workers"/> workers against an already opened library and returns what they saw.</summary>
    public static async Task<ProcessSamples> RunAsync(LockLibrary library, int workers, long startAt, TimeSpan duration)
    {
        var grants = new List<Grant>[workers];
        var failures = 0;
        var end = startAt + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < startAt)
        {
            await Task.Delay(TimeSpan.FromTicks(Math.Max(1, (startAt - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }

        async Task Worker(int id)
        {
            var mine = grants[id] = [];
            while (Stopwatch.GetTimestamp() < end)
            {
                var asked = Stopwatch.GetTimestamp();
                var handle = await library.AcquireAsync();
                if (handle is null)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                var granted = Stopwatch.GetTimestamp();
                Thread.Sleep(Hold);
                var released = Stopwatch.GetTimestamp();
                await handle.DisposeAsync();
                mine.Add(new Grant(asked, granted, released));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(id => Task.Run(() => Worker(id))));
        return new ProcessSamples(grants, failures);
    }

    /// <summary>
    /// Runs the workers' loop, contended, on a warm-up key shared by the row's processes until the JIT has been quiet for
    /// <see cref="Quiet"/>. A process started a moment ago recompiles its hot methods (tiered compilation) on a background
    /// thread for seconds, and on 2 cores that thread takes the CPU the measured hand-overs need (profiled: over half of
    /// all CPU during a fresh 8 × 1 row). Every row warms this way, the in-process one too, so that all are steady state.
    /// </summary>
    public static async Task WarmUpAsync(string library, IReadOnlyList<string> nodes, string key, int workers)
    {
        await using var warm = await LockLibrary.OpenAsync(library, nodes, key + ":warm-up");
        var started = Stopwatch.GetTimestamp();
        var quietSince = started;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var stop = 0;

        async Task Worker()
        {
            while (Volatile.Read(ref stop) == 0)
            {
                if (await warm.AcquireAsync() is { } handle)
                {
                    Thread.Sleep(Hold);
                    await handle.DisposeAsync();
                }
            }
        }

        var running = Enumerable.Range(0, workers).Select(_ => Task.Run(Worker)).ToArray();
        while (Stopwatch.GetElapsedTime(quietSince) < Quiet && Stopwatch.GetElapsedTime(started) < WarmUpLimit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }

        Volatile.Write(ref stop, 1);
        await Task.WhenAll(running);
    }

    /// <summary>The child's side: open the library, run, print the samples for the parent.</summary>
    public static async Task ChildMainAsync(string[] args, TextWriter output)
    {
        // --contention-child <library> <workers> <key> <duration ms> <node;node;node>; the start instant comes on stdin
        // once every child has said it is ready, so that a child slow to start does not run short.
        var library = args[1];
        var workers = int.Parse(args[2], CultureInfo.InvariantCulture);
        var key = args[3];
        var duration = TimeSpan.FromMilliseconds(double.Parse(args[4], CultureInfo.InvariantCulture));
        var nodes = args[5].Split(';');
        await using var opened = await LockLibrary.OpenAsync(library, nodes, key);
        await WarmUpAsync(library, nodes, key, workers);
        if (await opened.AcquireAsync() is { } first)
        {
            await first.DisposeAsync();
        }

        output.WriteLine("READY");
        output.Flush();
        var startAt = long.Parse(Console.ReadLine() ?? throw new InvalidOperationException("the parent sent no start instant"), CultureInfo.InvariantCulture);
        var samples = await RunAsync(opened, workers, startAt, duration);
        samples.Write(output);
    }
}

/// <summary>One acquisition: when it was asked for, granted, and when the holder began its release (Stopwatch ticks).</summary>
internal readonly record struct Grant(long Asked, long Granted, long Released);

/// <summary>Every grant of one process, per worker, and how many acquisitions ran out of wait budget.</summary>
internal sealed record ProcessSamples(List<Grant>[] Workers, int Failures)
{
    public void Write(TextWriter output)
    {
        output.WriteLine(FormattableString.Invariant($"F {Failures}"));
        for (var w = 0; w < Workers.Length; w++)
        {
            output.WriteLine(FormattableString.Invariant($"W {w} {Workers[w].Count}"));
            foreach (var g in Workers[w])
            {
                output.WriteLine(FormattableString.Invariant($"G {w} {g.Asked} {g.Granted} {g.Released}"));
            }
        }
    }

    public static ProcessSamples Read(IEnumerable<string> lines)
    {
        var workers = new List<List<Grant>>();
        var failures = 0;
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "F":
                    failures = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "W":
                    workers.Add([]);
                    break;
                case "G":
                    workers[int.Parse(parts[1], CultureInfo.InvariantCulture)].Add(new Grant(
                        long.Parse(parts[2], CultureInfo.InvariantCulture),
                        long.Parse(parts[3], CultureInfo.InvariantCulture),
                        long.Parse(parts[4], CultureInfo.InvariantCulture)));
                    break;
            }
        }

        return new ProcessSamples([.. workers], failures);
    }
}
