using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RedlockAspects.Benchmarks;
using RedlockAspects.Benchmarks.Contention;
using RedlockAspects.Benchmarks.Interleaved;

// --quick: a short in-process run (a couple of minutes) for a quick look; otherwise BenchmarkDotNet's default rigour.
// --contention: the first acquire of a fresh engine, then the hot-key runs (one process, then real child processes of
// this program: throughput, waits, fairness, hand-over gap) instead of the BenchmarkDotNet suite.
// --interleaved: the uncontended operations in interleaved rounds, for a ratio to the raw commands that machine drift
// does not decide.
// --contention-child: how the hot-key run starts its child processes (not for use by hand).
if (args.Length > 0 && args[0] == "--contention-child")
{
    await ContenderRun.ChildMainAsync(args, Console.Out);
    return;
}

if (args.Contains("--interleaved"))
{
    await InterleavedUncontendedRun.RunAsync(Console.Out);
    return;
}

var quick = args.Contains("--quick");
if (args.Contains("--contention"))
{
    // Optional filters after it: "first" (only the first-acquire run), shapes (1x8, 4x2, 8x1) and libraries (ours, redlocknet, distributedlock).
    await ContentionRun.RunAsync(TimeSpan.FromSeconds(quick ? 3 : 5), Console.Out, args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
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
