using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace RedlockAspects.Testing.Servers;

/// <summary>Freezes and thaws a process with <c>SIGSTOP</c> / <c>SIGCONT</c> (.NET has no API for either).</summary>
internal static class PosixSignals
{
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    // Signal numbers differ between Linux and the BSDs (macOS included).
    private static int SigStop => OperatingSystem.IsLinux() ? 19 : 17;

    private static int SigCont => OperatingSystem.IsLinux() ? 18 : 19;

    public static Task StopAsync(int pid, CancellationToken cancellationToken)
    {
        Send(pid, SigStop);
        return WaitForStateAsync(pid, stopped: true, cancellationToken);
    }

    public static Task ContinueAsync(int pid, CancellationToken cancellationToken)
    {
        Send(pid, SigCont);
        return WaitForStateAsync(pid, stopped: false, cancellationToken);
    }

    private static void Send(int pid, int signal)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Process signals need Linux, macOS or FreeBSD.");
        }

        if (Kill(pid, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed.");
        }
    }

    // kill() only queues the signal. On Linux, wait until /proc shows it took effect, so that a caller's next
    // command really meets a frozen (or thawed) server.
    private static async Task WaitForStateAsync(int pid, bool stopped, CancellationToken cancellationToken)
    {
        var statFile = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat");
        if (!OperatingSystem.IsLinux() || !File.Exists(statFile))
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync(statFile, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return;
            }

            // The state letter follows the command name, which is in parentheses and may itself contain them.
            var close = stat.LastIndexOf(')');
            if (close < 0 || close + 2 >= stat.Length)
            {
                return;
            }

            var state = stat[close + 2];
            if ((state == 'T') == stopped)
            {
                return;
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    // DllImport rather than LibraryImport: the latter would make the whole assembly compile as unsafe for one blittable call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
