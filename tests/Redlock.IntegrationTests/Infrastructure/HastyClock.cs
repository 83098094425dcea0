using System.Diagnostics;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// The machine's monotonic clock, moved a little further ahead (up to <c>maxStep</c>) at every reading, so that time
/// visibly passes between any two readings, as it does on a loaded machine between two lines of code. Code that reads
/// the clock twice and assumes the second reading tells the same story as the first fails against it quickly. Timers
/// stay on real time.
/// </summary>
internal sealed class HastyClock(TimeSpan maxStep) : TimeProvider
{
    private readonly long _maxStepTicks = (long)(maxStep.TotalSeconds * Stopwatch.Frequency);
    private long _ahead;

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() =>
        Stopwatch.GetTimestamp() + Interlocked.Add(ref _ahead, Random.Shared.NextInt64(0, _maxStepTicks + 1));
}
