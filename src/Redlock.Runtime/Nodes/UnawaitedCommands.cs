namespace RedlockAspects.Nodes;

/// <summary>Commands whose answer nobody waits for (an undo, leaving a queue).</summary>
internal static class UnawaitedCommands
{
    /// <summary>
    /// Observes a command's failure so that it never becomes an unobserved task exception. Checking
    /// <see cref="Task.IsCompleted"/> is not enough: a client that has been disposed hands back a task that has
    /// already faulted.
    /// </summary>
    public static void Observe(Task sent)
    {
        if (sent.IsCompletedSuccessfully)
        {
            return;
        }

        if (sent.IsCompleted)
        {
            _ = sent.Exception;
            return;
        }

        sent.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
