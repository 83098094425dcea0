using RedlockAspects.Testing;

namespace RedlockAspects.Tests;

/// <summary>
/// Theory data over the backends this machine has: Garnet always, redis-server when installed. With
/// REDLOCK_REQUIRE_REDIS=1 (CI), a missing redis-server fails the run instead of quietly shrinking it.
/// </summary>
public static class TestBackends
{
    public const string RequireRedisVariable = "REDLOCK_REQUIRE_REDIS";

    public static bool RedisRequired => Environment.GetEnvironmentVariable(RequireRedisVariable) == "1";

    public static TheoryData<RedisBackend> All => new(Available());

    /// <summary>Every available backend, with and without the fault proxy.</summary>
    public static TheoryData<RedisBackend, bool> AllWithAndWithoutProxy
    {
        get
        {
            var data = new TheoryData<RedisBackend, bool>();
            foreach (var backend in Available())
            {
                data.Add(backend, false);
                data.Add(backend, true);
            }

            return data;
        }
    }

    /// <summary>Every pause mode each available backend supports, and whether it needs the fault proxy.</summary>
    public static TheoryData<RedisBackend, PauseMode> SupportedPauses
    {
        get
        {
            var data = new TheoryData<RedisBackend, PauseMode>
            {
                { RedisBackend.Garnet, PauseMode.Default },
                { RedisBackend.Garnet, PauseMode.Proxy },
            };
            if (Available().Contains(RedisBackend.RedisServer))
            {
                data.Add(RedisBackend.RedisServer, PauseMode.Default);
                data.Add(RedisBackend.RedisServer, PauseMode.Signal);
                data.Add(RedisBackend.RedisServer, PauseMode.ClientPause);
                data.Add(RedisBackend.RedisServer, PauseMode.Proxy);
            }

            return data;
        }
    }

    public static IReadOnlyList<RedisBackend> Available()
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

    /// <summary>Whether the pause mode needs a proxy in front of the node for this backend.</summary>
    public static bool NeedsProxy(RedisBackend backend, PauseMode mode) =>
        mode == PauseMode.Proxy || (mode == PauseMode.Default && backend == RedisBackend.Garnet);
}
