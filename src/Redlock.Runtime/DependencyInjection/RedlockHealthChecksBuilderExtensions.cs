using Microsoft.Extensions.Diagnostics.HealthChecks;
using RedlockAspects;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redlock health check: <c>services.AddHealthChecks().AddRedlock()</c>.</summary>
public static class RedlockHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the engine's nodes: Healthy when every node answers, Degraded while a quorum answers but not all,
    /// <paramref name="failureStatus"/> below a quorum. The data names each node with its state and round-trip time. The
    /// check uses what the engine learned from its own traffic and pings only nodes it has not heard from for 5 seconds.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; default <c>redlock</c>.</param>
    /// <param name="failureStatus">The status reported below a quorum; <c>null</c> (the default) means <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>"ready"</c>).</param>
    /// <param name="serviceKey">The key of an engine registered with <c>AddKeyedRedlock</c>; <c>null</c> for the engine of <c>AddRedlock</c>.</param>
    /// <returns>The builder, for more checks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHealthChecksBuilder AddRedlock(
        this IHealthChecksBuilder builder,
        string name = "redlock",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new RedlockHealthCheck(EngineOf(sp, serviceKey)),
            failureStatus,
            tags));
    }

    private static RedlockEngine EngineOf(IServiceProvider services, object? serviceKey)
    {
        var redlock = serviceKey is null
            ? services.GetRequiredService<IRedlock>()
            : services.GetRequiredKeyedService<IRedlock>(serviceKey);
        return redlock as RedlockEngine
            ?? throw new InvalidOperationException(
                $"The Redlock health check reads the node status of a {nameof(RedlockEngine)}, but the registered {nameof(IRedlock)}{(serviceKey is null ? string.Empty : $" (key '{serviceKey}')")} is a {redlock.GetType().FullName}.");
    }
}
