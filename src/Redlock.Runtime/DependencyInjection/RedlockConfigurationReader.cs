using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RedlockAspects;

/// <summary>
/// Reads <see cref="RedlockOptions"/> from a configuration section, key by key, so that every problem names its
/// configuration path, the value read and the format to write. A plain number where a duration is expected is refused:
/// .NET reads <c>"RetryDelay": 200</c> as 200 days, while a user coming from node <c>redlock</c> means milliseconds
/// (write <c>"RetryDelayMs": 200</c> for that). Unknown keys are refused too, so that a misspelt setting is not silently ignored.
/// </summary>
internal static partial class RedlockConfigurationReader
{
    private static readonly string[] DurationNames =
    [
        nameof(RedlockOptions.RetryDelay), nameof(RedlockOptions.RetryJitter), nameof(RedlockOptions.MaxWait),
        nameof(RedlockOptions.NodeTimeout), nameof(RedlockOptions.MinValidity), nameof(RedlockOptions.ReleaseTimeout),
    ];

    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <param name="section">The section.</param>
    /// <param name="options">The options to fill.</param>
    /// <param name="optionsName">The options' name (empty for the plain engine, the key's name for a keyed one), for the exception.</param>
    /// <exception cref="OptionsValidationException">One or more values are wrong; each failure names its path.</exception>
    public static void Read(IConfiguration section, RedlockOptions options, string optionsName)
    {
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            try
            {
                ReadOne(child, options, problems);
            }
            catch (ArgumentOutOfRangeException e)
            {
                problems.Add($"{child.Path} is '{child.Value}': {FirstLine(e.Message)}");
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(optionsName, typeof(RedlockOptions), problems);
        }
    }

    private static void ReadOne(IConfigurationSection child, RedlockOptions options, List<string> problems)
    {
        var key = child.Key;
        if (Is(key, nameof(RedlockOptions.Nodes)))
        {
            var nodes = child.Value is { } single ? [single] : child.GetChildren().Select(n => n.Value ?? string.Empty).ToArray();
            foreach (var node in nodes)
            {
                options.Nodes.Add(node);
            }
        }
        else if (Is(key, nameof(RedlockOptions.DriftFactor)))
        {
            if (Number(child, problems, "a fraction such as 0.01") is { } factor)
            {
                options.DriftFactor = factor;
            }
        }
        else if (Is(key, nameof(RedlockOptions.RetryCount)))
        {
            if (!int.TryParse(child.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            {
                problems.Add($"{child.Path} is '{child.Value}', which is not a whole number; write -1 (retry until MaxWait) or a count such as 10.");
            }
            else
            {
                options.RetryCount = count;
            }
        }
        else if (Is(key, nameof(RedlockOptions.KeyPrefix)))
        {
            options.KeyPrefix = child.Value;
        }
        else if (Is(key, nameof(RedlockOptions.HolderName)))
        {
            options.HolderName = child.Value;
        }
        else if (DurationNames.FirstOrDefault(n => Is(key, n)) is { } duration)
        {
            if (Duration(child, duration, problems) is var (isSet, value) && isSet)
            {
                Set(options, duration, value);
            }
        }
        else if (DurationNames.FirstOrDefault(n => Is(key, n + "Ms")) is { } inMilliseconds)
        {
            if (Number(child, problems, "a number of milliseconds such as 200") is { } ms)
            {
                // Clamped only so that TimeSpan can hold it; the setter then refuses what is out of range.
                Set(options, inMilliseconds, TimeSpan.FromMilliseconds(Math.Clamp(ms, -1, int.MaxValue + 1.0)));
            }
        }
        else
        {
            problems.Add($"{child.Path} is not a Redlock setting. The settings are Nodes, DriftFactor, RetryCount, KeyPrefix, HolderName, and {string.Join(", ", DurationNames)} (each also as <Name>Ms in milliseconds).");
        }
    }

    private static (bool IsSet, TimeSpan? Value) Duration(IConfigurationSection child, string name, List<string> problems)
    {
        var text = child.Value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            // Only MaxWait may be unset (no overall budget); an empty value leaves the others at their defaults.
            return (name == nameof(RedlockOptions.MaxWait), null);
        }

        if (PlainNumber().IsMatch(text))
        {
            problems.Add($"{child.Path} is '{text}', which .NET reads as {text} days. Write a duration as hh:mm:ss.fff (for example '00:00:00.200' for 200 ms), or give milliseconds as {child.Path}Ms: {text}.");
            return (false, null);
        }

        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            problems.Add($"{child.Path} is '{text}', which is not a duration; write hh:mm:ss.fff (for example '00:00:00.200' for 200 ms), or give milliseconds as {child.Path}Ms.");
            return (false, null);
        }

        return (true, value);
    }

    private static double? Number(IConfigurationSection child, List<string> problems, string example)
    {
        if (double.TryParse(child.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        problems.Add($"{child.Path} is '{child.Value}', which is not a number; write {example}.");
        return null;
    }

    private static void Set(RedlockOptions options, string name, TimeSpan? value)
    {
        switch (name)
        {
            case nameof(RedlockOptions.RetryDelay): options.RetryDelay = value!.Value; break;
            case nameof(RedlockOptions.RetryJitter): options.RetryJitter = value!.Value; break;
            case nameof(RedlockOptions.MaxWait): options.MaxWait = value; break;
            case nameof(RedlockOptions.NodeTimeout): options.NodeTimeout = value!.Value; break;
            case nameof(RedlockOptions.MinValidity): options.MinValidity = value!.Value; break;
            case nameof(RedlockOptions.ReleaseTimeout): options.ReleaseTimeout = value!.Value; break;
        }
    }

    private static bool Is(string key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [GeneratedRegex(@"^[+-]?\d+(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
