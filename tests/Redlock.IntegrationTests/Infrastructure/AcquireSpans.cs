using System.Diagnostics;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// Records how many attempts each finished acquisition of one resource made, from the engine's <c>redlock.acquire</c>
/// spans (tag <c>redlock.attempts</c>). Spans of other resources, from tests running at the same time, are ignored.
/// </summary>
public sealed class AcquireSpans : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<int> _attempts = [];

    public AcquireSpans(string resource)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedlockTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "redlock.acquire"
                    && activity.GetTagItem("redlock.resource") as string == resource
                    && activity.GetTagItem("redlock.attempts") is int attempts)
                {
                    lock (_attempts)
                    {
                        _attempts.Add(attempts);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The attempts of each acquisition of the resource, in the order they finished.</summary>
    public int[] Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
