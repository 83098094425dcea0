using RedlockAspects.Testing;

namespace RedlockAspects.ScheduledJobs.Tests.Infrastructure;

/// <summary>xunit theory data over <see cref="AvailableBackends"/>, which decides what this machine can run.</summary>
public static class TestBackends
{
    public static TheoryData<RedisBackend> All => new(AvailableBackends.All);
}
