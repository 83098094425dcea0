using System.Diagnostics;
using System.Globalization;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// What the harness knows about one lease: when its acquire returned, and the observations that bound when its
/// belief ended. Every bound is taken on the safe side (never later than the truth), so an overlap of two intervals
/// is a real overlap of beliefs.
/// </summary>
internal sealed class LeaseRecord(long id, int worker, RedlockLease lease, IReadOnlyList<string> resources, long start)
{
    private readonly Lock _gate = new();
    private readonly List<(long Start, long Return)> _explicitExtensions = [];
    private readonly List<string> _history = [];
    private long _lastBelievingRead = long.MinValue;
    private long _lastBelievingDeadline = long.MinValue;
    private long _firstNotBelieving = long.MaxValue;
    private long _releaseCalled = long.MaxValue;
    private long _lossObserved = long.MaxValue;

    public long Id { get; } = id;

    public int Worker { get; } = worker;

    public RedlockLease Lease { get; } = lease;

    public IReadOnlyList<string> Resources { get; } = resources;

    /// <summary>When the acquire returned (Stopwatch ticks): belief began no later than this.</summary>
    public long Start { get; } = start;

    /// <summary>When the lease was first seen not believing (Stopwatch ticks), or <see cref="long.MaxValue"/>.</summary>
    public long FirstNotBelieving
    {
        get { lock (_gate) { return _firstNotBelieving; } }
    }

    /// <summary>The promise's definition of belief.</summary>
    public static bool Believes(RedlockLease lease) => !lease.IsLost && lease.RemainingValidity > TimeSpan.Zero && !lease.IsReleased;

    /// <summary>Reads belief and remaining validity now; returns whether it believes.</summary>
    public bool Observe()
    {
        var before = Stopwatch.GetTimestamp();
        var remaining = Lease.RemainingValidity;
        var believes = !Lease.IsLost && remaining > TimeSpan.Zero && !Lease.IsReleased;
        var after = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (believes)
            {
                // Reads race (sampler and worker); the latest read is the one that reflects the latest extension.
                if (before > _lastBelievingRead)
                {
                    _lastBelievingRead = before;
                    _lastBelievingDeadline = before + (long)(remaining.TotalSeconds * Stopwatch.Frequency);
                }
            }
            else if (after < _firstNotBelieving)
            {
                _firstNotBelieving = after;
            }
        }

        return believes;
    }

    public void ReleaseCalling()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _releaseCalled = Math.Min(_releaseCalled, now);
        }
    }

    public void LossObserved()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _lossObserved = Math.Min(_lossObserved, now);
        }
    }

    /// <summary>An extension with an explicit TTL may shorten validity; remember when it ran (see <see cref="End"/>).</summary>
    public void ExplicitExtension(long started, long returned)
    {
        lock (_gate)
        {
            _explicitExtensions.Add((started, returned));
        }
    }

    /// <summary>
    /// The end of the belief interval: the earliest of release called, loss observed, first seen not believing, and
    /// the deadline read while last believing. That deadline is stale if an explicit extension finished after the
    /// read (it may have shortened validity), so it is then capped at the start of that extension.
    /// </summary>
    public long End()
    {
        lock (_gate)
        {
            if (_lastBelievingRead == long.MinValue)
            {
                // Never seen believing: nothing to claim.
                return Start;
            }

            var deadline = _lastBelievingDeadline;
            foreach (var (started, returned) in _explicitExtensions)
            {
                if (returned > _lastBelievingRead)
                {
                    deadline = Math.Min(deadline, Math.Max(_lastBelievingRead, started));
                    break;
                }
            }

            return Math.Max(Start, Math.Min(Math.Min(_releaseCalled, _lossObserved), Math.Min(_firstNotBelieving, deadline)));
        }
    }

    /// <summary>Adds a line to the lease's story (what was called, what came back), for violation reports.</summary>
    public void Note(string what)
    {
        var at = Stopwatch.GetElapsedTime(Start).TotalMilliseconds;
        lock (_gate)
        {
            _history.Add(string.Create(CultureInfo.InvariantCulture, $"+{at:0.#} ms {what}"));
        }
    }

    /// <summary>The lease's story, oldest first.</summary>
    public string History
    {
        get { lock (_gate) { return string.Join("; ", _history); } }
    }

    public override string ToString() => $"lease {Id} (worker {Worker}, token {Lease.Token[..8]}, [{string.Join(", ", Resources)}])";
}
