namespace RedlockAspects;

/// <summary>Someone else holds the lock, and the retries or the wait budget ran out.</summary>
public sealed class RedlockBusyException : RedlockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resources">The resources.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="waited">How long the caller waited in all.</param>
    public RedlockBusyException(IReadOnlyList<string> resources, int attempts, TimeSpan waited)
        : base(resources, $"The lock on {Describe(resources)} is held by another owner; gave up after {attempts} attempt(s) over {waited.TotalMilliseconds:0} ms.")
    {
        Attempts = attempts;
        Waited = waited;
    }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>How long the caller waited in all.</summary>
    public TimeSpan Waited { get; }
}
