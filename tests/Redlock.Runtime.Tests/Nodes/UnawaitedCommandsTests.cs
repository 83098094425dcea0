using System.Runtime.CompilerServices;
using RedlockAspects.Nodes;

namespace RedlockAspects.Tests.Nodes;

public sealed class UnawaitedCommandsTests
{
    [Fact]
    public void A_command_that_failed_before_it_was_handed_back_is_observed()
    {
        // A disposed client hands back a task that has already faulted (CI found this in the safety harness).
        AssertObserved(static marker => Task.FromException(new ObjectDisposedException(marker)));
    }

    private static void AssertObserved(Func<string, Task> fail)
    {
        var marker = "unawaited-" + Guid.NewGuid().ToString("N");
        var seen = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> handler = (_, e) =>
        {
            if (e.Exception.InnerExceptions.Any(x => x.Message.Contains(marker, StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref seen);
                e.SetObserved();
            }
        };

        TaskScheduler.UnobservedTaskException += handler;
        try
        {
            SendAndForget(fail, marker);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Equal(0, Volatile.Read(ref seen));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= handler;
        }
    }

    // Not inlined, so that nothing on the test's stack keeps the task alive past the collection.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SendAndForget(Func<string, Task> fail, string marker) => UnawaitedCommands.Observe(fail(marker));
}
