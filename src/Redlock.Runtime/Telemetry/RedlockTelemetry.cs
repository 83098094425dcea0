using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RedlockAspects;

/// <summary>
/// Metrics and traces, on the standard .NET <see cref="Meter"/> and <see cref="ActivitySource"/> named
/// <see cref="Name"/>, so OpenTelemetry (or <c>dotnet-counters</c>) picks them up with no extra package.
/// Nothing is recorded while nobody listens.
/// </summary>
public static class RedlockTelemetry
{
    /// <summary>The meter and activity source name: <c>RedlockAspects</c>.</summary>
    public const string Name = "RedlockAspects";

    internal static readonly ActivitySource Source = new(Name, typeof(RedlockTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(RedlockTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Acquisitions, tagged <c>outcome</c> = acquired | busy | no_quorum.</summary>
    internal static readonly Counter<long> Acquisitions = Meter.CreateCounter<long>("redlock.acquisitions", description: "Lock acquisitions by outcome");

    /// <summary>Time from the first attempt to the outcome.</summary>
    internal static readonly Histogram<double> AcquireDuration = Meter.CreateHistogram<double>("redlock.acquire.duration", unit: "ms", description: "Time to acquire (or give up on) a lock");

    /// <summary>Held locks that were lost.</summary>
    internal static readonly Counter<long> Lost = Meter.CreateCounter<long>("redlock.lost", description: "Held locks known or presumed lost");

    internal static void RecordAcquisition(string outcome, TimeSpan elapsed, int attempts, Activity? activity)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Acquisitions.Add(1, tag);
        if (AcquireDuration.Enabled)
        {
            AcquireDuration.Record(elapsed.TotalMilliseconds, tag);
        }

        if (activity is not null)
        {
            activity.SetTag("redlock.outcome", outcome);
            activity.SetTag("redlock.attempts", attempts);
            if (outcome != "acquired")
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }
}
