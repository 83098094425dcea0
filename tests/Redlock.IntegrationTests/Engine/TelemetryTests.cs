using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class TelemetryTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Acquisitions_are_counted_by_outcome_and_traced(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.RetryCount = 0);
        var resource = Names.Unique("telemetry");
        var outcomes = new ConcurrentQueue<string>();
        var spans = new ConcurrentQueue<Activity>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RedlockTelemetry.Name && instrument.Name == "redlock.acquisitions")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcomes.Enqueue((string)tag.Value!);
                }
            }
        });
        meters.Start();
        using var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedlockTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem("redlock.resource") == resource)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(traces);

        await using (await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5)))
        {
            Assert.Null(await engine.TryAcquireAsync(resource, TimeSpan.FromSeconds(5), new RedlockAcquireOptions { Reentrant = false }));
        }

        Assert.Contains("acquired", outcomes);
        Assert.Contains("busy", outcomes);
        Assert.Equal(2, spans.Count);
        Assert.Contains(spans, s => (string?)s.GetTagItem("redlock.outcome") == "busy" && s.Status == ActivityStatusCode.Error);
        Assert.Contains(spans, s => (string?)s.GetTagItem("redlock.outcome") == "acquired");
    }
}
