using System.Globalization;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// How many times each command ran, summed over a bed's nodes (redis-server's INFO commandstats, which counts the
/// commands scripts run too; Garnet keeps none).
/// </summary>
public static class CommandStats
{
    public static async Task<Dictionary<string, long>> TotalsAsync(LockBed bed)
    {
        var totals = new Dictionary<string, long>();
        for (var i = 0; i < bed.Nodes.Nodes.Count; i++)
        {
            var info = (string?)await (await bed.NodeAsync(i)).ExecuteAsync("INFO", "commandstats") ?? "";
            foreach (var line in info.Split('\n'))
            {
                // cmdstat_set:calls=12,usec=...
                if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                {
                    var name = line[8..colon];
                    var calls = line[(colon + 1)..].Split(',')[0].Split('=')[1];
                    totals[name] = totals.GetValueOrDefault(name) + long.Parse(calls, CultureInfo.InvariantCulture);
                }
            }
        }

        return totals;
    }
}
