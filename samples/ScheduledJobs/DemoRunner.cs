using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RedlockAspects.Scheduling;
using ScheduledJobs.Clocks;
using ScheduledJobs.Configuration;
using ScheduledJobs.Instances;
using ScheduledJobs.Jobs;
using ScheduledJobs.Nodes;
using ScheduledJobs.Reporting;
using ScheduledJobs.Scheduling;

namespace ScheduledJobs;

// Starts the nodes and the instances, prints the table as occurrences complete, and ends with the verdict.
public static class DemoRunner
{
    public const int ExactlyOnce = 0;
    public const int Violations = 1;
    public const int BadOptions = 2;
    public const int Interrupted = 130;

    // Time for the instance hosts to build and start before the first (earliest) instance fires.
    private static readonly TimeSpan StartUp = TimeSpan.FromSeconds(3);

    // Firings come a little after their due time (timers, thread pool, the other instances' work); the minimum hold
    // has to cover this on top of the clocks' spread.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(IConfiguration configuration, DemoSettings settings, TextWriter output, CancellationToken ct)
    {
        if (!TryPrepare(settings, output, out var schedule))
        {
            return BadOptions;
        }

        await using var nodes = await NodeSet.ResolveAsync(configuration, settings, ct);

        var skews = settings.GivenSkews() ?? SkewPlan.Draw(settings.Instances, settings.MaxSkewSpan, settings.Seed);
        var instances = skews.Select((skew, i) => new InstanceSpec(InstanceSpec.NameOf(i), skew, new SkewedTimeProvider(skew))).ToArray();
        var window = OccurrenceWindow.After(schedule, TimeProvider.System.GetUtcNow(), settings.MaxSkewSpan, StartUp, settings.Occurrences);
        var journal = new RunJournal(instances.Select(i => i.Name).ToArray(), window.Occurrences(schedule));
        var table = new ConsoleTable(output, instances);

        WriteIntro(output, settings, schedule, window, nodes, instances);
        table.WriteHeader();
        journal.RowCompleted += table.WriteRow;

        var hostSettings = new InstanceHostSettings
        {
            Schedule = schedule,
            Window = window,
            Observer = journal,
            ConfigureRedlock = nodes.Configure,
            Naive = settings.Naive,
            Work = new DigestWorkOptions { Duration = TimeSpan.FromMilliseconds(settings.WorkMs) },
            Logging = configuration.GetSection("Logging"),
        };
        var hosts = instances.Select(i => InstanceHostFactory.Build(i, hostSettings)).ToArray();
        var interrupted = false;
        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync(ct)));
            await journal.Completion.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            interrupted = true;
            output.WriteLine("interrupted");
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Task.WhenAll(hosts.Select(h => h.StopAsync(stopping.Token)));
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }

        output.WriteLine();
        var verdict = journal.Verdict();
        output.WriteLine(verdict.Line);
        return interrupted ? Interrupted : verdict.ExactlyOnce ? ExactlyOnce : Violations;
    }

    private static bool TryPrepare(DemoSettings settings, TextWriter output, out CronOccurrence schedule)
    {
        schedule = null!;
        var problems = settings.Problems().ToList();
        try
        {
            if (problems.Count == 0)
            {
                schedule = new CronOccurrence(settings.Cron ?? ScheduleForPeriod.Cron(settings.Period));
            }
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }

        // The fixed job's minimum hold must outlast the gap between the earliest and the latest instance (checked
        // once the skews are known to parse).
        if (problems.Count == 0 && !settings.Naive && settings.MaxSpread + Slack > TimeSpan.FromMilliseconds(DigestJob.MinHoldMs))
        {
            var spread = settings.MaxSpread;
            problems.Add($"Clocks up to {spread.TotalSeconds:0.#} s apart need a minimum hold over " +
                $"{(spread + Slack).TotalSeconds:0.#} s, and DigestJob holds {DigestJob.MinHoldMs / 1000} s (raise MinHoldMs in Jobs/DigestJob.cs).");
        }

        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }

        return problems.Count == 0;
    }

    private static void WriteIntro(TextWriter output, DemoSettings settings, CronOccurrence schedule, OccurrenceWindow window, NodeSet nodes, IReadOnlyList<InstanceSpec> instances)
    {
        var period = schedule.Next(window.First) - window.First;
        output.WriteLine(settings.Naive
            ? "mode      naive, as in the article: key \"jobs:digest\", TtlMs 1000, released when the body ends"
            : $"mode      fixed: key \"jobs:digest:{{occurrence:yyyyMMddHHmmss}}\", TtlMs 1000 + auto-extend, MinHoldMs {DigestJob.MinHoldMs}, OnBusy.Skip");
        output.WriteLine($"nodes     {nodes.Description}");
        output.WriteLine($"schedule  \"{schedule.Expression}\" (every {period.TotalSeconds:0.##} s), {window.Count} occurrences, " +
            $"{Verdict.FormatOccurrence(window.First)} to {Verdict.FormatOccurrence(window.Last)} UTC; the job works {settings.WorkMs} ms");
        var bound = settings.GivenSkews() is null ? $" (drawn from +/-{settings.MaxSkew.ToString("0.##", CultureInfo.InvariantCulture)} s)" : " (given)";
        output.WriteLine($"clocks    {string.Join(", ", instances.Select(i => $"{i.Name} {SkewPlan.Format(i.Skew)}"))}{bound}");
        output.WriteLine("cells     what the instance did, and when it fired in true time relative to the occurrence");
        output.WriteLine();
    }
}
