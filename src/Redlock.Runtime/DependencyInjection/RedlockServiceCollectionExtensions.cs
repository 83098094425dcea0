using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedlockAspects;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redlock engine: <see cref="IRedlock"/> as a singleton, options validated at start-up.</summary>
public static class RedlockServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IRedlock"/> configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; at least one node is required.</param>
    /// <returns>The options builder, for more configuration or validation.</returns>
    /// <example><code>services.AddRedlock(o => { o.Nodes.Add("redis1:6379"); o.Nodes.Add("redis2:6379"); o.Nodes.Add("redis3:6379"); });</code></example>
    public static OptionsBuilder<RedlockOptions> AddRedlock(this IServiceCollection services, Action<RedlockOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services).Configure(configure);
    }

    /// <summary>
    /// Registers <see cref="IRedlock"/> read from a configuration section, for example
    /// <c>{ "Nodes": [ "redis1:6379", "redis2:6379", "redis3:6379" ], "RetryCount": 10, "RetryDelay": "00:00:00.200" }</c>.
    /// Durations are written as hh:mm:ss.fff, or in milliseconds under the name plus <c>Ms</c> (<c>"RetryDelayMs": 200</c>);
    /// a plain number where a duration is expected, an out-of-range value or an unknown key fails start-up with a message
    /// that names the configuration path.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section holding the options.</param>
    /// <returns>The options builder, for more configuration or validation.</returns>
    public static OptionsBuilder<RedlockOptions> AddRedlock(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services).Configure(options => RedlockConfigurationReader.Read(section, options));
    }

    private static OptionsBuilder<RedlockOptions> AddCore(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedlockOptions>, RedlockOptionsValidator>());

        // The container owns the engine, so it disposes the connections the engine opened (and only those).
        services.TryAddSingleton(sp => new RedlockEngine(
            sp.GetRequiredService<IOptions<RedlockOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IRedlock>(sp => sp.GetRequiredService<RedlockEngine>());
        return services.AddOptions<RedlockOptions>().ValidateOnStart();
    }
}
