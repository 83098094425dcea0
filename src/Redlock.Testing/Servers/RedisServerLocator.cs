namespace RedlockAspects.Testing.Servers;

/// <summary>Finds the <c>redis-server</c> executable.</summary>
internal static class RedisServerLocator
{
    private const string DefaultName = "redis-server";

    /// <summary>
    /// The full path of the executable named by <paramref name="configured"/>, else by the
    /// <c>REDIS_SERVER_PATH</c> environment variable, else <c>redis-server</c> on <c>PATH</c>; <c>null</c> when there is none.
    /// </summary>
    public static string? Resolve(string? configured)
    {
        var candidate = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : Environment.GetEnvironmentVariable(RedisTestNodesOptions.RedisServerPathVariable);
        if (string.IsNullOrWhiteSpace(candidate))
        {
            candidate = DefaultName;
        }

        // A bare name means "look it up on PATH", as a shell would.
        var isBareName = candidate.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) < 0;
        return isBareName ? SearchPath(candidate) : (IsExecutable(candidate) ? Path.GetFullPath(candidate) : null);
    }

    /// <summary>Describes where we looked, for error messages.</summary>
    public static string DescribeSearch(string? configured) =>
        !string.IsNullOrWhiteSpace(configured)
            ? $"RedisTestNodesOptions.RedisServerPath = '{configured}'"
            : Environment.GetEnvironmentVariable(RedisTestNodesOptions.RedisServerPathVariable) is { Length: > 0 } fromEnvironment
                ? $"{RedisTestNodesOptions.RedisServerPathVariable} = '{fromEnvironment}'"
                : $"'{DefaultName}' on PATH (set {RedisTestNodesOptions.RedisServerPathVariable} or RedisTestNodesOptions.RedisServerPath to point elsewhere)";

    private static string? SearchPath(string name)
    {
        var names = OperatingSystem.IsWindows() && !name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? new[] { name + ".exe", name } : [name];
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var file in names)
            {
                var full = Path.Combine(directory, file);
                if (IsExecutable(full))
                {
                    return Path.GetFullPath(full);
                }
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}
