namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that becomes true asynchronously (a fire-and-forget delete, a reconnect).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because ?? "the condition did not become true in time");
            }

            await Task.Delay(20);
        }
    }
}
