using System.Collections.Concurrent;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>What kind of promise was broken.</summary>
internal enum ViolationKind
{
    /// <summary>The sampler saw two leases on one resource believing at the same instant.</summary>
    SampledOverlap,

    /// <summary>Two leases' belief intervals on one resource overlap.</summary>
    IntervalOverlap,

    /// <summary>A lock key without an expiry (PTTL -1).</summary>
    KeyWithoutExpiry,

    /// <summary>A lock key still on a node after everything was released and every TTL and minimum hold had passed.</summary>
    KeyLeftBehind,

    /// <summary>An operation threw something outside the library's contract.</summary>
    UntypedException,

    /// <summary>An exception nobody observed (TaskScheduler.UnobservedTaskException).</summary>
    UnobservedTaskException,

    /// <summary>A call that must fail succeeded (invalid input accepted, a released lease extended).</summary>
    AcceptedInvalidCall,

    /// <summary>Releasing a nested (reentrant) hold released the lock under the outer holder.</summary>
    NestedReleaseFreedTheLock,
}

internal sealed record Violation(ViolationKind Kind, string Detail);

/// <summary>Thread-safe sink for violations; keeps the first few in full and counts the rest by kind.</summary>
internal sealed class Violations
{
    private const int KeptPerKind = 20;
    private readonly ConcurrentQueue<Violation> _kept = new();
    private readonly ConcurrentDictionary<ViolationKind, int> _counts = new();

    public void Add(ViolationKind kind, string detail)
    {
        if (_counts.AddOrUpdate(kind, 1, (_, n) => n + 1) <= KeptPerKind)
        {
            _kept.Enqueue(new Violation(kind, detail));
        }
    }

    public int Total => _counts.Values.Sum();

    public IReadOnlyDictionary<ViolationKind, int> Counts => new Dictionary<ViolationKind, int>(_counts);

    public IReadOnlyList<Violation> Examples => _kept.ToArray();
}
