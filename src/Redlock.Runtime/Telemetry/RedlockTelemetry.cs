using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RedlockAspects.Nodes;

namespace RedlockAspects;

/// <summary>
/// Metrics and traces, on the standard .NET <see cref="Meter"/> and <see cref="ActivitySource"/> named
/// <see cref="Name"/>, so OpenTelemetry (or <c>dotnet-counters</c>) picks them up with no extra package. Named in the
/// OpenTelemetry semantic-convention style: durations in seconds, attributes shared by metrics and spans
/// (<c>redlock.outcome</c> on both). Resource names go on spans only: on a metric they would make a series per key.
/// Nothing is recorded while nobody listens. docs/telemetry.md lists every instrument and span.
/// </summary>
public static class RedlockTelemetry
{
    /// <summary>The meter and activity source name: <c>RedlockAspects</c>.</summary>
    public const string Name = "RedlockAspects";

    internal const string OutcomeTag = "redlock.outcome";
    internal const string ResourceTag = "redlock.resource";
    internal const string ResourceCountTag = "redlock.resource.count";
    internal const string AttemptsTag = "redlock.attempts";
    internal const string FencingTokenTag = "redlock.fencing_token";
    internal const string LostReasonTag = "redlock.lost.reason";
    internal const string NodeTag = "redlock.node";
    internal const string NodeStateTag = "redlock.node.state";
    internal const string ErrorTypeTag = "error.type";

    internal static readonly ActivitySource Source = new(Name, typeof(RedlockTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(RedlockTelemetry).Assembly.GetName().Version?.ToString());

    // Waits run from a millisecond (uncontended, local) to minutes (a long queue); holds from milliseconds to hours.
    private static readonly double[] WaitBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private static readonly double[] HoldBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    private static readonly ConcurrentDictionary<NodeWatch, byte> Watches = new();

    private static readonly Counter<long> Acquisitions = Meter.CreateCounter<long>(
        "redlock.acquisitions", unit: "{acquisition}", description: "Lock acquisitions by outcome");

    private static readonly Histogram<double> AcquireDuration = Meter.CreateHistogram(
        "redlock.acquire.duration", unit: "s", description: "Time from the call to the outcome of an acquisition: the wait for the lock",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });

    private static readonly Counter<long> Extensions = Meter.CreateCounter<long>(
        "redlock.extensions", unit: "{extension}", description: "Lease extensions (automatic and manual) by outcome");

    private static readonly Counter<long> Releases = Meter.CreateCounter<long>(
        "redlock.releases", unit: "{release}", description: "Lock releases by outcome");

    private static readonly Counter<long> LostLocks = Meter.CreateCounter<long>(
        "redlock.lost_locks", unit: "{lock}", description: "Held locks known or presumed lost, by reason");

    private static readonly Histogram<double> HoldDuration = Meter.CreateHistogram(
        "redlock.hold.duration", unit: "s", description: "How long a lock was held, until released or lost",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HoldBuckets });

    private static readonly ObservableUpDownCounter<int> NodeCount = Meter.CreateObservableUpDownCounter(
        "redlock.node.count", ObserveNodes, unit: "{node}", description: "The engines' nodes by state: 1 for the state each node is in, 0 for the others");

    /// <summary>Values of <c>redlock.lost.reason</c>.</summary>
    internal static class LostReasons
    {
        /// <summary>Validity ran out without a confirmed extension.</summary>
        public const string Expired = "expired";

        /// <summary>An extension found the key gone or another owner's on too many nodes.</summary>
        public const string KeyGone = "key_gone";

        /// <summary>Automatic extension could not reach a quorum before validity ran out.</summary>
        public const string NoQuorum = "no_quorum";
    }

    internal static Activity? StartSpan(string name, IReadOnlyList<string> resources)
    {
        var activity = Source.StartActivity(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ResourceTag, resources[0]);
            activity.SetTag(ResourceCountTag, resources.Count);
        }

        return activity;
    }

    /// <param name="outcome">acquired, busy, no_quorum or cancelled.</param>
    /// <param name="elapsed">From the call to the outcome.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="failed">Whether the caller gets an exception.</param>
    /// <param name="activity">The acquire span.</param>
    internal static void RecordAcquisition(string outcome, TimeSpan elapsed, int attempts, bool failed, Activity? activity)
    {
        var tag = new KeyValuePair<string, object?>(OutcomeTag, outcome);
        Acquisitions.Add(1, tag);
        if (AcquireDuration.Enabled)
        {
            AcquireDuration.Record(elapsed.TotalSeconds, tag);
        }

        if (activity is not null)
        {
            activity.SetTag(OutcomeTag, outcome);
            activity.SetTag(AttemptsTag, attempts);
            if (failed)
            {
                activity.SetTag(ErrorTypeTag, outcome);
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    /// <param name="outcome">extended, unconfirmed or lost.</param>
    /// <param name="activity">The extend span.</param>
    internal static void RecordExtension(string outcome, Activity? activity)
    {
        Extensions.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        if (activity is not null)
        {
            activity.SetTag(OutcomeTag, outcome);
            if (outcome != "extended")
            {
                activity.SetTag(ErrorTypeTag, outcome);
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    /// <param name="outcome">released or unconfirmed.</param>
    /// <param name="held">How long the lease was held.</param>
    /// <param name="wasLost">The lease had been lost before it was released (its hold was recorded then).</param>
    /// <param name="activity">The release span.</param>
    internal static void RecordRelease(string outcome, TimeSpan held, bool wasLost, Activity? activity)
    {
        var tag = new KeyValuePair<string, object?>(OutcomeTag, outcome);
        Releases.Add(1, tag);
        if (!wasLost && HoldDuration.Enabled)
        {
            HoldDuration.Record(held.TotalSeconds, new KeyValuePair<string, object?>(OutcomeTag, "released"));
        }

        if (activity is not null)
        {
            activity.SetTag(OutcomeTag, outcome);
            if (outcome != "released")
            {
                activity.SetTag(ErrorTypeTag, outcome);
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    /// <param name="reason">One of <see cref="LostReasons"/>.</param>
    /// <param name="held">How long the lease was held until it was lost.</param>
    internal static void RecordLost(string reason, TimeSpan held)
    {
        LostLocks.Add(1, new KeyValuePair<string, object?>(LostReasonTag, reason));
        if (HoldDuration.Enabled)
        {
            HoldDuration.Record(held.TotalSeconds, new KeyValuePair<string, object?>(OutcomeTag, "lost"));
        }
    }

    internal static void Watch(NodeWatch watch) => Watches.TryAdd(watch, 0);

    internal static void Unwatch(NodeWatch watch) => Watches.TryRemove(watch, out _);

    private static IEnumerable<Measurement<int>> ObserveNodes()
    {
        // Several engines may share a node: one series per node and state, summed over the engines.
        var counts = new Dictionary<(string Node, RedlockNodeHealth State), int>();
        foreach (var watch in Watches.Keys)
        {
            foreach (var node in watch.Nodes)
            {
                var state = node.Health.State;
                foreach (var each in States)
                {
                    counts.TryGetValue((node.Name, each), out var count);
                    counts[(node.Name, each)] = count + (each == state ? 1 : 0);
                }
            }
        }

        foreach (var ((node, state), count) in counts)
        {
            yield return new Measurement<int>(count, new KeyValuePair<string, object?>(NodeTag, node), new KeyValuePair<string, object?>(NodeStateTag, StateName(state)));
        }
    }

    private static readonly RedlockNodeHealth[] States = [RedlockNodeHealth.Up, RedlockNodeHealth.Down, RedlockNodeHealth.Unknown];

    internal static string StateName(RedlockNodeHealth state) => state switch
    {
        RedlockNodeHealth.Up => "up",
        RedlockNodeHealth.Down => "down",
        _ => "unknown",
    };
}
