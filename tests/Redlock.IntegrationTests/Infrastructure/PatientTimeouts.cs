namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// Generous node and release timeouts, for tests that read node health or count node-down lines: on a loaded machine a
/// slow answer (a release's included, which by default waits 1 s) must not count as a node going down.
/// </summary>
internal static class PatientTimeouts
{
    public static void Apply(RedlockOptions options)
    {
        options.NodeTimeout = TimeSpan.FromSeconds(5);
        options.ReleaseTimeout = TimeSpan.FromSeconds(5);
    }
}
