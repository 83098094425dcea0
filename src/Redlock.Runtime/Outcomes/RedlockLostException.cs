namespace RedlockAspects;

/// <summary>A lock that was held has been lost: it expired, was deleted, or could not be extended on a quorum.</summary>
public sealed class RedlockLostException : RedlockException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resources">The resources.</param>
    /// <param name="reason">Why the lock is known or presumed lost.</param>
    /// <param name="innerException">The cause, such as the body's cancellation.</param>
    public RedlockLostException(IReadOnlyList<string> resources, string reason, Exception? innerException = null)
        : base(resources, $"The lock on {Describe(resources)} was lost: {reason}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the lock is known or presumed lost.</summary>
    public string Reason { get; }
}
