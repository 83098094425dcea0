using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RedlockAspects.Benchmarks;

// --quick: a short in-process run (a couple of minutes) for a quick look; otherwise BenchmarkDotNet's default rigour.
// --contention: the hot-key run (throughput, waits, fairness) instead of the BenchmarkDotNet suite.
var quick = args.Contains("--quick");
if (args.Contains("--contention"))
{
    await ContentionRun.RunAsync(TimeSpan.FromSeconds(quick ? 3 : 5), Console.Out);
    return;
}

var job = quick
    ? Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8).WithInvocationCount(2000).WithUnrollFactor(1)
    : Job.Default;
var config = ManualConfig.CreateEmpty()
    .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
    .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
    .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);

Console.WriteLine($"Backend: {BenchmarkNodes.Backend} (set REDLOCK_BENCH_BACKEND to choose)");
var summary = BenchmarkRunner.Run<UncontendedAcquireRelease>(config, args.Where(a => a is not ("--quick" or "--contention")).ToArray());
RatioReport.Print(summary, Console.Out);
