using RedlockAspects.Testing.Servers;

namespace RedlockAspects.Testing;

/// <summary>
/// The backends this machine can run, for tests that should run on each of them: <see cref="RedisBackend.Garnet"/>
/// always, <see cref="RedisBackend.RedisServer"/> when <c>redis-server</c> is installed. When the environment
/// variable <c>REDLOCK_REQUIRE_REDIS</c> is <c>1</c> (CI), a missing <c>redis-server</c> is an error instead of a
/// silently smaller run. Test-framework neutral: wrap the lists in your framework's theory data.
/// </summary>
public static class AvailableBackends
{
    /// <summary>The environment variable that, set to <c>1</c>, makes a missing <c>redis-server</c> an error.</summary>
    public const string RequireRedisVariable = "REDLOCK_REQUIRE_REDIS";

    /// <summary>Whether this run requires <c>redis-server</c> (<see cref="RequireRedisVariable"/> is <c>1</c>).</summary>
    public static bool RedisRequired => Environment.GetEnvironmentVariable(RequireRedisVariable) == "1";

    /// <summary>Every available backend: Garnet, then redis-server when installed.</summary>
    /// <exception cref="InvalidOperationException">redis-server is required (<see cref="RedisRequired"/>) but not found.</exception>
    public static IReadOnlyList<RedisBackend> All
    {
        get
        {
            if (RedisTestNodes.IsRedisServerAvailable())
            {
                return [RedisBackend.Garnet, RedisBackend.RedisServer];
            }

            if (RedisRequired)
            {
                throw new InvalidOperationException(
                    $"{RequireRedisVariable}=1 but redis-server was not found (REDIS_SERVER_PATH or PATH). Install it: apt-get install -y redis-server.");
            }

            return [RedisBackend.Garnet];
        }
    }

    /// <summary>Every available backend, once without and once with the fault proxy.</summary>
    public static IReadOnlyList<(RedisBackend Backend, bool FaultProxy)> AllWithAndWithoutProxy =>
        All.SelectMany(backend => new[] { (backend, false), (backend, true) }).ToArray();

    /// <summary>Every pause mode each available backend supports (on this operating system).</summary>
    public static IReadOnlyList<(RedisBackend Backend, PauseMode Mode)> SupportedPauses
    {
        get
        {
            var pauses = new List<(RedisBackend, PauseMode)>
            {
                (RedisBackend.Garnet, PauseMode.Default),
                (RedisBackend.Garnet, PauseMode.Proxy),
            };
            if (All.Contains(RedisBackend.RedisServer))
            {
                pauses.Add((RedisBackend.RedisServer, PauseMode.Default));
                if (PosixSignals.IsSupported)
                {
                    pauses.Add((RedisBackend.RedisServer, PauseMode.Signal));
                }

                pauses.Add((RedisBackend.RedisServer, PauseMode.ClientPause));
                pauses.Add((RedisBackend.RedisServer, PauseMode.Proxy));
            }

            return pauses;
        }
    }

    /// <summary>
    /// Whether pausing a node of <paramref name="backend"/> with <paramref name="mode"/> needs
    /// <see cref="RedisTestNodesOptions.FaultProxy"/>.
    /// </summary>
    public static bool NeedsProxy(RedisBackend backend, PauseMode mode) =>
        mode == PauseMode.Proxy || (mode == PauseMode.Default && backend == RedisBackend.Garnet);
}
