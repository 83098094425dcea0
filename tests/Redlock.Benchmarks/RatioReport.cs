using BenchmarkDotNet.Reports;

namespace RedlockAspects.Benchmarks;

/// <summary>Prints each library's mean as a ratio of the raw-commands baseline measured in the same run.</summary>
internal static class RatioReport
{
    public static void Print(Summary summary, TextWriter output)
    {
        var means = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''), r => r.ResultStatistics!.Mean);
        if (!means.TryGetValue("raw commands", out var baseline))
        {
            output.WriteLine("ratios: the raw-commands baseline did not run");
            return;
        }

        output.WriteLine();
        output.WriteLine("Uncontended acquire + release on 3 nodes, as a ratio of the raw commands (same run):");
        foreach (var (name, mean) in means.OrderBy(m => m.Value))
        {
            output.WriteLine($"  {name,-28} {mean / 1000:0.0} us   {mean / baseline:0.000}x");
        }
    }
}
