namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that becomes true asynchronously (a fire-and-forget delete, a reconnect).</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, string? because = null) =>
        TrueAsync(condition, within, () => because ?? "the condition did not become true in time");

    /// <summary>As above, with a message made at the failure, so that it can say what the condition last saw.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within, Func<string> because)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because());
            }

            await Task.Delay(20);
        }
    }
}
