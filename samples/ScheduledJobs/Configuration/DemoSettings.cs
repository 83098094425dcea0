using System.Globalization;
using RedlockAspects.Testing;

namespace ScheduledJobs.Configuration;

// The "ScheduledJobs" configuration section: appsettings.json, then the environment, then the command line.
public sealed class DemoSettings
{
    public const string Section = "ScheduledJobs";

    // The largest clock error of any instance, in seconds; skews are drawn from [-MaxSkew, +MaxSkew].
    public double MaxSkew { get; set; } = 2;

    // Seconds between occurrences; turned into a cron expression unless Cron is given.
    public double Period { get; set; } = 5;

    // A cron expression (5 fields, or 6 with seconds first) that replaces Period.
    public string? Cron { get; set; }

    public int Occurrences { get; set; } = 6;

    public int Instances { get; set; } = 3;

    // How long the job's body works, in milliseconds.
    public int WorkMs { get; set; } = 400;

    public int Seed { get; set; } = 7;

    // Comma-separated clock errors in seconds ("10,0,-10"): one instance each, instead of drawing them.
    public string? Skews { get; set; }

    // Run the article's original setup: one fixed key, released on completion, no minimum hold.
    public bool Naive { get; set; }

    // Kill the instance that runs the second occurrence, half way through its work (fixed mode only).
    public bool KillOne { get; set; }

    // Which embedded nodes to start when no nodes are configured.
    public RedisBackend Backend { get; set; } = RedisBackend.Garnet;

    // Comma-separated node connection strings (--nodes); an alternative to the Redlock:Nodes list.
    public string? Nodes { get; set; }

    public bool Help { get; set; }

    public TimeSpan MaxSkewSpan => GivenSkews() is { } given ? given.Max(s => s.Duration()) : TimeSpan.FromSeconds(MaxSkew);

    // The largest gap between two instances' clocks that these settings allow.
    public TimeSpan MaxSpread => GivenSkews() is { } given ? given.Max() - given.Min() : 2 * TimeSpan.FromSeconds(MaxSkew);

    public IReadOnlyList<TimeSpan>? GivenSkews()
    {
        if (string.IsNullOrWhiteSpace(Skews))
        {
            return null;
        }

        return Skews.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : throw new FormatException($"--skews: '{s}' is not a number of seconds."))
            .ToArray();
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(MaxSkew >= 0))
        {
            problems.Add("--max-skew must be 0 or more seconds.");
        }

        if (Cron is null && !(Period > 0))
        {
            problems.Add("--period must be more than 0 seconds.");
        }

        if (Occurrences < 1)
        {
            problems.Add("--occurrences must be at least 1.");
        }

        try
        {
            if (GivenSkews() is { Count: < 1 or > 26 })
            {
                problems.Add("--skews needs between 1 and 26 values.");
            }
        }
        catch (FormatException e)
        {
            problems.Add(e.Message);
        }

        if (Instances is < 1 or > 26)
        {
            problems.Add("--instances must be between 1 and 26 (they are named A to Z).");
        }

        if (KillOne && Naive)
        {
            problems.Add("--kill-one shows the recovery of the fixed mode; it does not combine with --naive.");
        }

        if (WorkMs < 0)
        {
            problems.Add("--work-ms must not be negative.");
        }

        return problems;
    }
}
