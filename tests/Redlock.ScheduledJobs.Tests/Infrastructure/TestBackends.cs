using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>
/// The backends every test runs on: embedded Garnet always, and redis-server where it is installed.
/// With REDLOCK_REQUIRE_REDIS=1 (CI) a missing redis-server is an error, not a silently smaller run.
/// </summary>
public static class TestBackends
{
    public static bool RedisRequired => Environment.GetEnvironmentVariable("REDLOCK_REQUIRE_REDIS") == "1";

    public static TheoryData<RedisBackend> All
    {
        get
        {
            var data = new TheoryData<RedisBackend> { RedisBackend.Garnet };
            if (RedisTestNodes.IsRedisServerAvailable())
            {
                data.Add(RedisBackend.RedisServer);
            }
            else if (RedisRequired)
            {
                throw new InvalidOperationException("REDLOCK_REQUIRE_REDIS=1 but redis-server was not found (install it: apt-get install -y redis-server).");
            }

            return data;
        }
    }
}
