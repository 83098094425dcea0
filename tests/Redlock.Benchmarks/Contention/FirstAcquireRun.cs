using System.Diagnostics;
using System.Globalization;

namespace RedlockAspects.Benchmarks.Contention;

/// <summary>
/// The first acquire of a fresh engine against its thousandth. The engine connects and loads its scripts in the background
/// from the constructor on; "at once" asks in the constructor's next breath (so it waits for those connections), "after
/// 0.5 s" asks the way a service does once it has started, and the thousandth is the steady state. A command after half a
/// second of silence costs more than one in a busy loop whatever sends it (sleeping threads and sockets), so the same
/// engine, warm, is also timed after the same 0.5 s of silence: that is what the first acquire must match to cost nothing
/// for being first.
/// </summary>
internal static class FirstAcquireRun
{
    private const int Engines = 9;
    private const int Silences = 3;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(IReadOnlyList<string> nodes, TextWriter output)
    {
        var atOnce = new List<double>();
        var afterStart = new List<double>();
        var thousandth = new List<double>();
        var warmAfterSilence = new List<double>();
        for (var e = 0; e < Engines; e++)
        {
            atOnce.Add(await FirstAsync(nodes, TimeSpan.Zero, null, null));
            afterStart.Add(await FirstAsync(nodes, Silence, thousandth, warmAfterSilence));
        }

        output.WriteLine($"First acquire + release of a fresh engine (RedlockAspects, median of {Engines} engines, 3 {BenchmarkNodes.Backend} nodes):");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first, at once after construction   {Median(atOnce),8:0.000} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first, 0.5 s after construction     {Median(afterStart),8:0.000} ms   ({Median(afterStart) / Median(warmAfterSilence):0.00}x a warm engine's after 0.5 s of silence, {Median(afterStart) / Median(thousandth):0.00}x the thousandth)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm engine, after 0.5 s of silence {Median(warmAfterSilence),8:0.000} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  thousandth, in a busy loop          {Median(thousandth),8:0.000} ms"));
    }

    private static async Task<double> FirstAsync(IReadOnlyList<string> nodes, TimeSpan startUp, List<double>? thousandth, List<double>? warmAfterSilence)
    {
        var options = new RedlockOptions();
        foreach (var node in nodes)
        {
            options.Nodes.Add(node);
        }

        await using var engine = new RedlockEngine(options);
        var resource = "first-acquire:" + Guid.NewGuid().ToString("N");
        if (startUp > TimeSpan.Zero)
        {
            await Task.Delay(startUp);
        }

        var first = await CycleAsync(engine, resource);
        if (thousandth is not null)
        {
            for (var i = 2; i < 1000; i++)
            {
                await CycleAsync(engine, resource);
            }

            thousandth.Add(await CycleAsync(engine, resource));
        }

        if (warmAfterSilence is not null)
        {
            for (var i = 0; i < Silences; i++)
            {
                await Task.Delay(Silence);
                warmAfterSilence.Add(await CycleAsync(engine, resource));
            }
        }

        return first;
    }

    private static async Task<double> CycleAsync(RedlockEngine engine, string resource)
    {
        var started = Stopwatch.GetTimestamp();
        var lease = await engine.AcquireAsync(resource, Ttl);
        await lease.DisposeAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
