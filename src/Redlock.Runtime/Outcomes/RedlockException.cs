namespace RedlockAspects;

/// <summary>The base of every error the lock raises, so callers can catch them together.</summary>
public abstract class RedlockException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resources">The resources the lock was for.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected RedlockException(IReadOnlyList<string> resources, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Resources = resources;
    }

    /// <summary>The first (usually the only) resource the lock was for.</summary>
    public string Resource => Resources.Count > 0 ? Resources[0] : string.Empty;

    /// <summary>Every resource the lock was for.</summary>
    public IReadOnlyList<string> Resources { get; }

    /// <summary>Formats resources for messages.</summary>
    private protected static string Describe(IReadOnlyList<string> resources) =>
        resources.Count == 1 ? $"'{resources[0]}'" : "[" + string.Join(", ", resources.Select(r => $"'{r}'")) + "]";
}
