using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

/// <summary>
/// The meter and activity source read through OpenTelemetry's SDK and in-memory exporter, wired the way docs/telemetry.md
/// shows. Other tests' engines share the static instruments, so counts are "at least", and spans are picked by resource.
/// </summary>
public class TelemetryTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Acquire_extend_and_release_are_traced_and_counted_with_the_same_outcome_attribute(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        using var telemetry = new Exported();
        var engine = bed.Engine(o => o.RetryCount = 0);
        var resource = Names.Unique("telemetry");
        var notAgain = new RedlockAcquireOptions { Reentrant = false };

        // Connections open and warm first (another resource, not counted below), so one attempt is all it takes.
        await using (await engine.AcquireAsync(Names.Unique("warm"), TimeSpan.FromSeconds(5)))
        {
        }

        await using (var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5)))
        {
            Assert.Null(await engine.TryAcquireAsync(resource, TimeSpan.FromSeconds(5), notAgain));
            await Assert.ThrowsAsync<RedlockBusyException>(() => engine.AcquireAsync(resource, TimeSpan.FromSeconds(5), notAgain));
            await lease.ExtendAsync();
        }

        telemetry.Flush();

        var spans = telemetry.Spans.Where(s => (string?)s.GetTagItem("redlock.resource") == resource).ToArray();
        var acquires = spans.Where(s => s.OperationName == "redlock.acquire").ToArray();
        Assert.Equal(3, acquires.Length);
        var acquired = Assert.Single(acquires, s => Outcome(s) == "acquired");
        Assert.Equal(ActivityStatusCode.Unset, acquired.Status);
        Assert.Equal(1, acquired.GetTagItem("redlock.resource.count"));
        Assert.Equal(1, acquired.GetTagItem("redlock.attempts"));
        var busy = acquires.Where(s => Outcome(s) == "busy").ToArray();
        Assert.Equal(2, busy.Length);
        Assert.Contains(busy, s => s.Status == ActivityStatusCode.Unset);
        Assert.Contains(busy, s => s.Status == ActivityStatusCode.Error && (string?)s.GetTagItem("error.type") == "busy");
        Assert.Equal("extended", Outcome(Assert.Single(spans, s => s.OperationName == "redlock.extend")));
        Assert.Equal("released", Outcome(Assert.Single(spans, s => s.OperationName == "redlock.release")));

        var acquisitions = telemetry.Metric("redlock.acquisitions");
        Assert.Equal(MetricType.LongSum, acquisitions.MetricType);
        Assert.Equal("{acquisition}", acquisitions.Unit);
        Assert.True(Sum(acquisitions, "redlock.outcome", "acquired") >= 1);
        Assert.True(Sum(acquisitions, "redlock.outcome", "busy") >= 2);

        var waits = telemetry.Metric("redlock.acquire.duration");
        Assert.Equal(MetricType.Histogram, waits.MetricType);
        Assert.Equal("s", waits.Unit);
        var acquiredWaits = Point(waits, "redlock.outcome", "acquired");
        Assert.True(acquiredWaits.GetHistogramCount() >= 1);

        Assert.True(Sum(telemetry.Metric("redlock.extensions"), "redlock.outcome", "extended") >= 1);
        Assert.True(Sum(telemetry.Metric("redlock.releases"), "redlock.outcome", "released") >= 1);
        var holds = telemetry.Metric("redlock.hold.duration");
        Assert.Equal("s", holds.Unit);
        Assert.True(Point(holds, "redlock.outcome", "released").GetHistogramCount() >= 1);

        // Resource names stay off the metrics: a series per key would be unbounded.
        Assert.All(telemetry.Metrics, m => Assert.All(m.MetricPoints, p => Assert.DoesNotContain(Tags(p), t => t.Key == "redlock.resource")));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Lost_locks_are_counted_by_reason_and_nodes_by_state(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        using var telemetry = new Exported();
        var engine = bed.Engine(o => o.NodeTimeout = TimeSpan.FromSeconds(2));
        var resource = Names.Unique("telemetry-lost");
        await using (var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(3), new RedlockAcquireOptions { AutoExtend = true }))
        {
            await bed.HeldEverywhereAsync(resource, lease.Token);
            for (var i = 0; i < 3; i++)
            {
                await (await bed.NodeAsync(i)).KeyDeleteAsync(resource);
            }

            await Eventually.TrueAsync(() => Task.FromResult(lease.IsLost), TimeSpan.FromSeconds(10), "the lease never noticed");
        }

        var killed = bed.Nodes.Nodes[2];
        await killed.KillAsync();
        await Eventually.TrueAsync(
            () => Task.FromResult(engine.NodeStatus[2].Health == RedlockNodeHealth.Down), TimeSpan.FromSeconds(15), "the engine never saw the node go down");
        telemetry.Flush();

        var lost = telemetry.Metric("redlock.lost_locks");
        Assert.Equal("{lock}", lost.Unit);
        Assert.True(Sum(lost, "redlock.lost.reason", "key_gone") >= 1);
        Assert.True(Point(telemetry.Metric("redlock.hold.duration"), "redlock.outcome", "lost").GetHistogramCount() >= 1);
        Assert.True(Sum(telemetry.Metric("redlock.extensions"), "redlock.outcome", "lost") >= 1);
        var lostSpan = Assert.Single(telemetry.Spans, s => s.OperationName == "redlock.extend" && (string?)s.GetTagItem("redlock.resource") == resource && Outcome(s) == "lost");
        Assert.Equal(ActivityStatusCode.Error, lostSpan.Status);

        var nodes = telemetry.Metric("redlock.node.count");
        Assert.Equal(MetricType.LongSumNonMonotonic, nodes.MetricType);
        Assert.Equal("{node}", nodes.Unit);
        Assert.Equal(1, NodeCount(nodes, killed.ConnectionString, "down"));
        Assert.Equal(0, NodeCount(nodes, killed.ConnectionString, "up"));
        Assert.Equal(1, NodeCount(nodes, bed.Nodes.Nodes[0].ConnectionString, "up"));
        Assert.Equal(0, NodeCount(nodes, bed.Nodes.Nodes[0].ConnectionString, "down"));
    }

    private static string? Outcome(Activity span) => (string?)span.GetTagItem("redlock.outcome");

    private static KeyValuePair<string, object?>[] Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return [.. tags];
    }

    private static MetricPoint Point(MetricSnapshot metric, string key, string value) =>
        Assert.Single(metric.MetricPoints, p => Tags(p).Any(t => t.Key == key && (string?)t.Value == value));

    private static long Sum(MetricSnapshot metric, string key, string value) =>
        metric.MetricPoints.Where(p => Tags(p).Any(t => t.Key == key && (string?)t.Value == value)).Sum(p => p.GetSumLong());

    private static long NodeCount(MetricSnapshot metric, string node, string state) =>
        Assert.Single(metric.MetricPoints, p =>
            Tags(p).Any(t => t.Key == "redlock.node" && (string?)t.Value == node) &&
            Tags(p).Any(t => t.Key == "redlock.node.state" && (string?)t.Value == state)).GetSumLong();

    /// <summary>A meter and a tracer provider listening to <see cref="RedlockTelemetry.Name"/>, exporting into memory.</summary>
    private sealed class Exported : IDisposable
    {
        private readonly List<MetricSnapshot> _metrics = [];
        private readonly List<Activity> _spans = [];
        private readonly MeterProvider _meterProvider;
        private readonly TracerProvider _tracerProvider;

        public Exported()
        {
            _meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter(RedlockTelemetry.Name).AddInMemoryExporter(_metrics).Build();
            _tracerProvider = Sdk.CreateTracerProviderBuilder().AddSource(RedlockTelemetry.Name).AddInMemoryExporter(_spans).Build();
        }

        public IReadOnlyList<Activity> Spans
        {
            get { lock (_spans) { return [.. _spans]; } }
        }

        /// <summary>The last export of each metric.</summary>
        public IReadOnlyList<MetricSnapshot> Metrics
        {
            get { lock (_metrics) { return _metrics.GroupBy(m => m.Name).Select(g => g.Last()).ToArray(); } }
        }

        public MetricSnapshot Metric(string name) => Assert.Single(Metrics, m => m.Name == name);

        public void Flush()
        {
            _tracerProvider.ForceFlush();
            _meterProvider.ForceFlush();
        }

        public void Dispose()
        {
            _meterProvider.Dispose();
            _tracerProvider.Dispose();
        }
    }
}
