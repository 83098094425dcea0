using System.Globalization;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>Which engine call threw, and whether the harness had given it a reason to throw.</summary>
internal enum CallKind
{
    Acquire,
    InvalidAcquire,
    Extend,
    InvalidExtend,
    SubMillisecondExtend,
    ExtendAfterRelease,
    Release,
}

/// <summary>
/// The library's exception contract: typed Redlock exceptions, the caller's own cancellation, InvalidOperationException
/// for extending a released lease, and argument exceptions for invalid input. Anything else, and any unobserved
/// task exception while the run is on, is a violation.
/// </summary>
internal sealed class ExceptionAudit : IDisposable
{
    private readonly Violations _violations;
    private int _expected;
    private int _unobserved;

    public ExceptionAudit(Violations violations)
    {
        _violations = violations;
        TaskScheduler.UnobservedTaskException += OnUnobserved;
    }

    /// <summary>Exceptions that were within the contract.</summary>
    public int Expected => Volatile.Read(ref _expected);

    public int Unobserved => Volatile.Read(ref _unobserved);

    /// <summary>Records <paramref name="exception"/> as expected or as a violation.</summary>
    /// <param name="call">What was called.</param>
    /// <param name="exception">What it threw.</param>
    /// <param name="ownCancellation">Whether the caller's own token had fired.</param>
    /// <param name="context">Worker, lease and plan, for the report.</param>
    public void Judge(CallKind call, Exception exception, bool ownCancellation, string context)
    {
        var allowed = exception switch
        {
            RedlockBusyException or RedlockNoQuorumException or RedlockLostException => call is not (CallKind.InvalidAcquire or CallKind.InvalidExtend or CallKind.ExtendAfterRelease or CallKind.Release),
            OperationCanceledException => ownCancellation,
            InvalidOperationException => call == CallKind.ExtendAfterRelease && exception.GetType() == typeof(InvalidOperationException),
            ArgumentException => call is CallKind.InvalidAcquire or CallKind.InvalidExtend or CallKind.SubMillisecondExtend,
            _ => false,
        };

        if (allowed)
        {
            Interlocked.Increment(ref _expected);
        }
        else if (exception is RedlockException && call is CallKind.InvalidAcquire or CallKind.InvalidExtend)
        {
            // The invalid input got as far as the nodes instead of being refused up front.
            _violations.Add(ViolationKind.AcceptedInvalidCall, string.Create(CultureInfo.InvariantCulture, $"{call} in {context} went to the nodes and threw {exception.GetType().Name}: {exception.Message}"));
        }
        else
        {
            _violations.Add(ViolationKind.UntypedException, string.Create(CultureInfo.InvariantCulture, $"{call} in {context} threw {exception}"));
        }
    }

    /// <summary>A call that should have thrown returned normally.</summary>
    public void DidNotThrow(CallKind call, string context) =>
        _violations.Add(ViolationKind.AcceptedInvalidCall, $"{call} in {context} returned normally");

    /// <summary>Forces pending finalizers to run, so that unobserved task exceptions surface before the run ends.</summary>
    public static void FlushUnobserved()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        Interlocked.Increment(ref _unobserved);
        _violations.Add(ViolationKind.UnobservedTaskException, e.Exception.ToString());
        e.SetObserved();
    }
}
