using System.Collections.Concurrent;
using System.Diagnostics;

namespace RedlockAspects.Testing.Servers;

/// <summary>
/// Kills every server process we started when this process exits, so that a test run which forgets to dispose
/// (or is stopped with Ctrl+C) does not leave redis-server processes holding ports.
/// </summary>
internal static class ChildProcessReaper
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    static ChildProcessReaper()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process) => Live[process.Id] = process;

    public static void Forget(Process process) => Live.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not ours to kill any more (exited and the id was reused is the only way here).
            }
        }
    }
}
