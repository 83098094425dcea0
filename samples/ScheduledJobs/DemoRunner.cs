using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedlockAspects;
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

    // The occurrence lock's TTL in fixed mode: an occurrence whose instance died is taken over about this long after.
    // Extended every third of it, so a holder survives a stall of more than a second (a loaded CI machine's).
    private static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(2);

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

        IHost[] hosts = [];
        var killedStops = new List<Task>();
        var kill = !settings.KillOne ? KillSwitch.Off : new KillSwitch(window.Occurrences(schedule)[Math.Min(1, window.Count - 1)], async (name, occurrence) =>
        {
            // What a crash leaves behind: the engine's connections close under the running body, so nothing is
            // released and nothing extended; the lock expires within its TTL. Then the host goes (in the background:
            // it waits for this very body, which ends when the host's stopping token fires).
            var index = Array.FindIndex(instances, i => i.Name == name);
            await hosts[index].Services.GetRequiredService<RedlockEngine>().DisposeAsync();
            journal.Killed(new RunRecord(name, occurrence, instances[index].Clock.GetUtcNow() - TimeSpan.FromMilliseconds(settings.WorkMs / 2.0), RunOutcome.Killed));
            lock (killedStops)
            {
                killedStops.Add(Task.Run(() => hosts[index].StopAsync(CancellationToken.None)));
            }
        });

        var hostSettings = new InstanceHostSettings
        {
            Schedule = schedule,
            Window = window,
            Observer = journal,
            ConfigureRedlock = nodes.Configure,
            RedlockSection = nodes.Section,
            Naive = settings.Naive,
            MaxClockSkew = settings.MaxSkewSpan,
            MaxRunTime = MaxRunTime(settings),
            LockTtl = LockTtl,
            Kill = kill,
            Work = new DigestWorkOptions { Duration = TimeSpan.FromMilliseconds(settings.WorkMs) },
            Logging = configuration.GetSection("Logging"),
        };
        hosts = instances.Select(i => InstanceHostFactory.Build(i, hostSettings)).ToArray();
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
            var dead = journal.Dead();
            await Task.WhenAll(hosts.Where((_, i) => !dead.Contains(instances[i].Name)).Select(h => h.StopAsync(stopping.Token)));
            Task[] stops;
            lock (killedStops)
            {
                stops = killedStops.ToArray();
            }

            await Task.WhenAll(stops).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }

        output.WriteLine();
        foreach (var line in KillLines(journal))
        {
            output.WriteLine(line);
        }

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

        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }

        return problems.Count == 0;
    }

    // Generous: a run is cancelled (and counts as failed) past it.
    private static TimeSpan MaxRunTime(DemoSettings settings) => TimeSpan.FromMilliseconds(Math.Max(5000, 4.0 * settings.WorkMs));

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    // "killed    B half way through 15:00:10, nothing released; C recovered it"
    private static IEnumerable<string> KillLines(RunJournal journal)
    {
        foreach (var row in journal.Rows())
        {
            foreach (var killed in row.ByInstance.Values.Where(r => r.Outcome == RunOutcome.Killed))
            {
                var recovered = row.ByInstance.Values.Where(r => r.Outcome == RunOutcome.Recovered).Select(r => r.Instance).ToArray();
                var ran = row.RanOn;
                var after = recovered.Length > 0 ? $"{string.Join(", ", recovered)} recovered it"
                    : ran.Count > 0 ? $"{string.Join(", ", ran)} ran it (its lock had expired by the time it fired)"
                    : "nobody ran it";
                yield return $"killed    {killed.Instance} half way through {Verdict.FormatOccurrence(row.Occurrence)}, its engine torn down without releasing; {after}";
            }
        }
    }

    private static void WriteIntro(TextWriter output, DemoSettings settings, CronOccurrence schedule, OccurrenceWindow window, NodeSet nodes, IReadOnlyList<InstanceSpec> instances)
    {
        var period = schedule.Next(window.First) - window.First;
        output.WriteLine(settings.Naive
            ? "mode      naive, as in the article: key \"jobs:digest\", TtlMs 1000, released when the body ends"
            : $"mode      fixed: AddScheduledJob<DigestJob>, MaxClockSkew {Seconds(settings.MaxSkewSpan)} s, MaxRunTime {Seconds(MaxRunTime(settings))} s, lock TTL {Seconds(LockTtl)} s + auto-extend, recovery on" +
              (settings.KillOne ? "; --kill-one: the instance running the 2nd occurrence dies half way" : ""));
        output.WriteLine($"nodes     {nodes.Description}");
        output.WriteLine($"schedule  \"{schedule.Expression}\" (every {period.TotalSeconds:0.##} s), {window.Count} occurrences, " +
            $"{Verdict.FormatOccurrence(window.First)} to {Verdict.FormatOccurrence(window.Last)} UTC; the job works {settings.WorkMs} ms");
        var bound = settings.GivenSkews() is null ? $" (drawn from +/-{settings.MaxSkew.ToString("0.##", CultureInfo.InvariantCulture)} s)" : " (given)";
        output.WriteLine($"clocks    {string.Join(", ", instances.Select(i => $"{i.Name} {SkewPlan.Format(i.Skew)}"))}{bound}");
        output.WriteLine("cells     what the instance did, and when it fired in true time relative to the occurrence");
        output.WriteLine();
    }
}
