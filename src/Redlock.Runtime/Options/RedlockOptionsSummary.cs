using System.Globalization;

namespace RedlockAspects;

/// <summary>The settings that differ from the defaults, in one line for the engine's start-up log.</summary>
internal static class RedlockOptionsSummary
{
    private static readonly RedlockOptions Defaults = new();

    public static string Describe(RedlockOptions options)
    {
        var changed = new List<string>();
        if (options.DriftFactor != Defaults.DriftFactor)
        {
            changed.Add(string.Create(CultureInfo.InvariantCulture, $"DriftFactor {options.DriftFactor}"));
        }

        if (options.RetryCount != Defaults.RetryCount)
        {
            changed.Add(string.Create(CultureInfo.InvariantCulture, $"RetryCount {options.RetryCount}"));
        }

        Add(changed, nameof(RedlockOptions.RetryDelay), options.RetryDelay, Defaults.RetryDelay);
        Add(changed, nameof(RedlockOptions.RetryJitter), options.RetryJitter, Defaults.RetryJitter);
        Add(changed, nameof(RedlockOptions.MaxWait), options.MaxWait, Defaults.MaxWait);
        Add(changed, nameof(RedlockOptions.NodeTimeout), options.NodeTimeout, Defaults.NodeTimeout);
        Add(changed, nameof(RedlockOptions.MinValidity), options.MinValidity, Defaults.MinValidity);
        Add(changed, nameof(RedlockOptions.ReleaseTimeout), options.ReleaseTimeout, Defaults.ReleaseTimeout);
        if (options.KeyPrefix is { } prefix)
        {
            changed.Add($"KeyPrefix '{prefix}'");
        }

        if (options.HolderName is { } holder)
        {
            changed.Add($"HolderName '{holder}'");
        }

        return changed.Count == 0 ? "default settings" : "settings changed from the defaults: " + string.Join(", ", changed);
    }

    private static void Add(List<string> changed, string name, TimeSpan? value, TimeSpan? defaultValue)
    {
        if (value != defaultValue)
        {
            changed.Add(value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{name} {v.TotalMilliseconds:0.###} ms") : $"{name} none");
        }
    }
}
