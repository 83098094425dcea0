using System.Collections.Concurrent;
using System.Diagnostics;

namespace RedlockAspects.Testing.Servers;

/// <summary>
/// Kills every server process we started, and deletes its temporary directory, when this process exits: a test run
/// that forgets to dispose (or is stopped with Ctrl+C or SIGTERM) must not leave redis-server processes holding
/// ports. A process killed with SIGKILL runs no handlers, so only disposing covers that.
/// </summary>
internal static class ChildProcessReaper
{
    private static readonly ConcurrentDictionary<Process, string> Live = new();

    static ChildProcessReaper()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process, string directory) => Live[process] = directory;

    public static void Forget(Process process) => Live.TryRemove(process, out _);

    private static void KillAll()
    {
        var children = Live.ToArray();
        foreach (var (process, _) in children)
        {
            try
            {
                process.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        foreach (var (process, directory) in children)
        {
            try
            {
                process.WaitForExit(1000);
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Best effort while the process exits.
            }
        }
    }
}
