using System.Diagnostics;

namespace RedlockAspects.Testing.Tests;

internal static class ProcessProbe
{
    /// <summary>Whether a live (not zombie) process has this id.</summary>
    public static bool Exists(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return false;
            }

            try
            {
                var text = File.ReadAllText(stat);
                return text[text.LastIndexOf(')') + 2] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
