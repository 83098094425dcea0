using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// A test that needs <c>redis-server</c> itself (a cluster, a password, TLS: things Garnet cannot stand in for). Skipped
/// where it is not installed, as <see cref="TestBackends"/> leaves the redis-server runs out there; but with
/// <c>REDLOCK_REQUIRE_REDIS=1</c> (CI) it runs anyway, so that a missing server fails instead of passing quietly.
/// </summary>
public sealed class RedisServerFactAttribute : FactAttribute
{
    public RedisServerFactAttribute()
    {
        if (!AvailableBackends.RedisRequired && !RedisTestNodes.IsRedisServerAvailable())
        {
            Skip = "redis-server is not installed (set REDIS_SERVER_PATH, or REDLOCK_REQUIRE_REDIS=1 to make this an error).";
        }
    }
}
