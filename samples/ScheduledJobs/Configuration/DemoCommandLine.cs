namespace ScheduledJobs.Configuration;

// Friendly switches for the demo, mapped onto configuration keys so that appsettings.json, the environment and
// the command line all feed the same settings.
public static class DemoCommandLine
{
    public static readonly IDictionary<string, string> Switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--max-skew"] = "ScheduledJobs:MaxSkew",
        ["--period"] = "ScheduledJobs:Period",
        ["--cron"] = "ScheduledJobs:Cron",
        ["--occurrences"] = "ScheduledJobs:Occurrences",
        ["--instances"] = "ScheduledJobs:Instances",
        ["--work-ms"] = "ScheduledJobs:WorkMs",
        ["--seed"] = "ScheduledJobs:Seed",
        ["--skews"] = "ScheduledJobs:Skews",
        ["--naive"] = "ScheduledJobs:Naive",
        ["--kill-one"] = "ScheduledJobs:KillOne",
        ["--backend"] = "ScheduledJobs:Backend",
        ["--nodes"] = "ScheduledJobs:Nodes",
        ["--help"] = "ScheduledJobs:Help",
        ["-h"] = "ScheduledJobs:Help",
    };

    // Flags may stand alone ("--naive"); the configuration reader wants a value after every switch.
    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase) { "--naive", "--kill-one", "--help", "-h" };

    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var normalized = new List<string>(args.Count + 2);
        for (var i = 0; i < args.Count; i++)
        {
            normalized.Add(args[i]);
            var isBareFlag = Flags.Contains(args[i]) && (i + 1 == args.Count || args[i + 1].StartsWith('-'));
            if (isBareFlag)
            {
                normalized.Add("true");
            }
        }

        return normalized.ToArray();
    }

    public const string Help = """
        Scheduled jobs on several instances whose clocks disagree: each occurrence must run exactly once.

        Usage: dotnet run --project samples/ScheduledJobs -- [options]

          --max-skew <s>     largest clock error of an instance, in seconds (default 2)
          --period <s>       seconds between occurrences; must divide a minute or an hour (default 5)
          --cron <expr>      a cron schedule instead of --period, e.g. "*/10 * * * * *"
          --occurrences <n>  how many occurrences to run before stopping (default 6)
          --instances <n>    how many instances (default 3)
          --work-ms <ms>     how long the job body works (default 400)
          --seed <n>         seed for the drawn clock skews (default 7; the first instance is always +max)
          --skews <a,b,..>   the clock errors in seconds, one instance each, instead of drawing them
          --naive            the article's setup: fixed key, released on completion, no minimum hold
          --kill-one         kill the instance running the second occurrence half way through it (its engine is
                             torn down without releasing); another instance recovers the occurrence
          --backend <b>      embedded nodes to start: Garnet (default) or RedisServer
          --nodes <a,b,c>    use these Redis nodes instead of starting embedded ones
                             (also Redlock:Nodes in appsettings.json, or Redlock__Nodes__0=... in the environment)

        Exit code: 0 when every occurrence ran exactly once, 1 when any ran twice or never (so --naive exits 1),
        2 for bad options, 130 when interrupted.
        """;
}
