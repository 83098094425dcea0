using RedlockAspects.Testing;

namespace RedlockAspects.Testing.Tests;

/// <summary>xunit theory data over <see cref="AvailableBackends"/>, which decides what this machine can run.</summary>
public static class TestBackends
{
    public static TheoryData<RedisBackend> All => new(AvailableBackends.All);

    /// <summary>Every available backend, with and without the fault proxy.</summary>
    public static TheoryData<RedisBackend, bool> AllWithAndWithoutProxy
    {
        get
        {
            var data = new TheoryData<RedisBackend, bool>();
            foreach (var (backend, faultProxy) in AvailableBackends.AllWithAndWithoutProxy)
            {
                data.Add(backend, faultProxy);
            }

            return data;
        }
    }

    /// <summary>Every pause mode each available backend supports.</summary>
    public static TheoryData<RedisBackend, PauseMode> SupportedPauses
    {
        get
        {
            var data = new TheoryData<RedisBackend, PauseMode>();
            foreach (var (backend, mode) in AvailableBackends.SupportedPauses)
            {
                data.Add(backend, mode);
            }

            return data;
        }
    }
}
