using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedlockAspects;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Redlock engines: <see cref="IRedlock"/> (and <see cref="RedlockEngine"/>) as a singleton, options validated at
/// start-up. One plain engine per container (<c>AddRedlock</c>); any number of keyed engines beside it
/// (<c>AddKeyedRedlock</c>), each with its own nodes, quorum and settings.
/// </summary>
public static class RedlockServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IRedlock"/> configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; at least one node (or connection) is required.</param>
    /// <returns>The options builder, for more configuration (such as <see cref="RedlockOptionsBuilderExtensions.UseConnectionsFromServices"/>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddRedlock</c> was already called on <paramref name="services"/>; register a second engine with <see cref="AddKeyedRedlock(IServiceCollection, object, Action{RedlockOptions})"/>.</exception>
    /// <example><code>services.AddRedlock(o => { o.Nodes.Add("redis1:6379"); o.Nodes.Add("redis2:6379"); o.Nodes.Add("redis3:6379"); });</code></example>
    public static OptionsBuilder<RedlockOptions> AddRedlock(this IServiceCollection services, Action<RedlockOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddDefault(services).Configure(configure);
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
    /// <exception cref="InvalidOperationException"><c>AddRedlock</c> was already called on <paramref name="services"/>; register a second engine with <see cref="AddKeyedRedlock(IServiceCollection, object, IConfiguration)"/>.</exception>
    public static OptionsBuilder<RedlockOptions> AddRedlock(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddDefault(services).Configure(options => RedlockConfigurationReader.Read(section, options, Microsoft.Extensions.Options.Options.DefaultName));
    }

    /// <summary>
    /// Registers one more engine under <paramref name="serviceKey"/>, configured in code, with its own nodes, quorum and
    /// settings. Take it with <c>[FromKeyedServices(serviceKey)] IRedlock</c> (or <see cref="RedlockEngine"/>); a class
    /// with <see cref="DistributedLockAttribute"/> methods takes it in its constructor like any other dependency.
    /// </summary>
    /// <remarks>
    /// The engine's options are named options whose name is <see cref="OptionsNameFor"/>(<paramref name="serviceKey"/>) (the
    /// key itself for a string key), so <c>services.Configure&lt;RedlockOptions&gt;("billing", …)</c> adds to them and
    /// nothing configured for the plain engine or another key reaches them.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key, for example <c>"billing"</c>; not null, not an empty string, used once per container.</param>
    /// <param name="configure">Sets the options; at least one node (or connection) is required.</param>
    /// <returns>The builder of this engine's named options.</returns>
    /// <exception cref="InvalidOperationException">An engine is already registered under <paramref name="serviceKey"/> (or under a key with the same options name).</exception>
    public static OptionsBuilder<RedlockOptions> AddKeyedRedlock(this IServiceCollection services, object serviceKey, Action<RedlockOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddKeyed(services, serviceKey).Configure(configure);
    }

    /// <summary>
    /// Registers one more engine under <paramref name="serviceKey"/>, read from a configuration section (the same format
    /// as <see cref="AddRedlock(IServiceCollection, IConfiguration)"/>). Take it with <c>[FromKeyedServices(serviceKey)] IRedlock</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key, for example <c>"billing"</c>; not null, not an empty string, used once per container.</param>
    /// <param name="section">The section holding the options, for example <c>configuration.GetSection("Redlock:Billing")</c>.</param>
    /// <returns>The builder of this engine's named options.</returns>
    /// <exception cref="InvalidOperationException">An engine is already registered under <paramref name="serviceKey"/> (or under a key with the same options name).</exception>
    public static OptionsBuilder<RedlockOptions> AddKeyedRedlock(this IServiceCollection services, object serviceKey, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var builder = AddKeyed(services, serviceKey);
        return builder.Configure(options => RedlockConfigurationReader.Read(section, options, builder.Name));
    }

    /// <summary>
    /// The name of the options of the engine registered under <paramref name="serviceKey"/>: the key itself for a string,
    /// otherwise its invariant string form. Use it with <c>IOptionsMonitor&lt;RedlockOptions&gt;.Get(name)</c>.
    /// </summary>
    /// <param name="serviceKey">The engine's service key.</param>
    /// <returns>The options name.</returns>
    public static string OptionsNameFor(object serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return serviceKey as string ?? Convert.ToString(serviceKey, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static OptionsBuilder<RedlockOptions> AddDefault(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => !d.IsKeyedService && d.ServiceType == typeof(RedlockEngine)))
        {
            // Merging a second call's nodes into the first engine would silently change its quorum.
            throw new InvalidOperationException(
                "AddRedlock was already called on these services; a second call would add its nodes to the first engine and change its quorum. " +
                "To run a second engine, register it under a key with services.AddKeyedRedlock(\"name\", ...) and take it as [FromKeyedServices(\"name\")] IRedlock; " +
                "to add settings to the first engine, use the OptionsBuilder that AddRedlock returns or services.Configure<RedlockOptions>(...).");
        }

        AddValidation(services);

        // The container owns the engine, so it disposes the connections the engine opened (and only those).
        services.AddSingleton(sp => new RedlockEngine(
            sp.GetRequiredService<IOptions<RedlockOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IRedlock>(sp => sp.GetRequiredService<RedlockEngine>());
        return services.AddOptions<RedlockOptions>().ValidateOnStart();
    }

    private static OptionsBuilder<RedlockOptions> AddKeyed(IServiceCollection services, object serviceKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        var name = OptionsNameFor(serviceKey);
        if (name.Length == 0)
        {
            throw new ArgumentException("The service key of a keyed Redlock engine must not be an empty string (that is the plain engine's options name); use AddRedlock for the plain engine.", nameof(serviceKey));
        }

        foreach (var existing in services.Where(d => d.IsKeyedService && d.ServiceType == typeof(RedlockEngine)))
        {
            if (Equals(existing.ServiceKey, serviceKey))
            {
                throw new InvalidOperationException(
                    $"A Redlock engine is already registered under the key '{name}'; each AddKeyedRedlock call makes its own engine, so use a different key, or add settings through the OptionsBuilder that the first call returned.");
            }

            if (existing.ServiceKey is { } other && OptionsNameFor(other) == name)
            {
                throw new InvalidOperationException(
                    $"The Redlock engine keys '{other}' ({other.GetType().Name}) and '{serviceKey}' ({serviceKey.GetType().Name}) would share the options name '{name}'; use keys whose string forms differ.");
            }
        }

        AddValidation(services);
        services.AddKeyedSingleton(serviceKey, (sp, _) => new RedlockEngine(
            sp.GetRequiredService<IOptionsMonitor<RedlockOptions>>().Get(name),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.AddKeyedSingleton<IRedlock>(serviceKey, (sp, key) => sp.GetRequiredKeyedService<RedlockEngine>(key));
        return services.AddOptions<RedlockOptions>(name).ValidateOnStart();
    }

    private static void AddValidation(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedlockOptions>, RedlockOptionsValidator>());
}
