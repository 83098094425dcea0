using System.Globalization;
using System.Reflection;
using RedlockAspects.Docs.Tests.Infrastructure;
using RedlockAspects.Scheduling;

namespace RedlockAspects.Docs.Tests;

/// <summary>
/// docs/configuration.md documents every setting: each public instance property of the option types has a table row
/// (<c>| `Name` |</c>) in the section headed by its type, so a new setting cannot ship undocumented.
/// </summary>
public sealed class ConfigurationPageTests
{
    public static TheoryData<string, Type> OptionTypes => new()
    {
        { "RedlockOptions", typeof(RedlockOptions) },
        { "RedlockAcquireOptions", typeof(RedlockAcquireOptions) },
        { "DistributedLock attribute", typeof(DistributedLockAttribute) },
        { "ScheduledJobOptions", typeof(ScheduledJobOptions) },
    };

    [Theory]
    [MemberData(nameof(OptionTypes))]
    public void Every_public_property_has_a_row_in_its_section(string heading, Type type)
    {
        var section = Section(heading);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(p => p.Name).ToList();
        var missing = properties.Where(name => !section.Any(line => line.StartsWith($"| `{name}` |", StringComparison.Ordinal))).ToList();

        Assert.NotEmpty(properties);
        Assert.True(missing.Count == 0,
            $"docs/configuration.md, section '{heading}', has no table row for {string.Join(", ", missing.Select(m => type.Name + "." + m))}: add '| `Name` | unit | range | default | what it does |'.");
    }

    [Theory]
    [MemberData(nameof(OptionTypes))]
    public void Every_documented_default_is_the_real_default(string heading, Type type)
    {
        var instance = type == typeof(DistributedLockAttribute) ? new DistributedLockAttribute("key") : Activator.CreateInstance(type)!;
        var rows = Section(heading).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Select(l => l.Split('|')).ToList();
        var checkedCount = 0;
        var wrong = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            if (DefaultText(property.GetValue(instance)) is not { } expected)
            {
                continue;   // no default of its own: unset, required, or computed from other settings (the page says which)
            }

            var row = rows.FirstOrDefault(r => r[1].Trim() == $"`{property.Name}`");
            var documented = row is null ? "(no row)" : row[4].Trim();
            checkedCount++;
            if (!documented.StartsWith(expected, StringComparison.Ordinal) && !documented.StartsWith("required", StringComparison.Ordinal))
            {
                wrong.Add($"{type.Name}.{property.Name}: the page says '{documented}', the default is {expected}");
            }
        }

        Assert.True(checkedCount > 0, $"No default of {type.Name} was checked.");
        Assert.True(wrong.Count == 0, "docs/configuration.md states wrong defaults:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Every_duration_the_configuration_reader_accepts_is_shown_with_its_Ms_form()
    {
        var durations = typeof(RedlockOptions).GetProperties()
            .Where(p => p.PropertyType == typeof(TimeSpan) || p.PropertyType == typeof(TimeSpan?))
            .Select(p => p.Name)
            .ToList();
        var section = string.Join("\n", Section("RedlockOptions"));

        Assert.NotEmpty(durations);
        Assert.All(durations, name => Assert.Contains($"`{name}`", section, StringComparison.Ordinal));
        Assert.Contains("\"RetryDelayMs\": 200", section, StringComparison.Ordinal);
    }

    /// <summary>A default value the way the page writes it, or <c>null</c> when it has none to compare.</summary>
    private static string? DefaultText(object? value) => value switch
    {
        null => null,
        System.Collections.ICollection { Count: 0 } => "empty",
        TimeSpan t when t == TimeSpan.Zero => "0",
        TimeSpan t when t < TimeSpan.FromSeconds(1) => $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms",
        TimeSpan t when t < TimeSpan.FromMinutes(1) && t.Milliseconds == 0 => $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
        TimeSpan t when t.Seconds == 0 && t.Milliseconds == 0 => $"{t.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min",
        bool b => b ? "`true`" : "`false`",
        int or double or Enum => $"`{Convert.ToString(value, CultureInfo.InvariantCulture)}`",
        TimeZoneInfo zone => zone.Id,
        _ => null,
    };

    private static List<string> Section(string heading)
    {
        var lines = DocPages.Read("docs/configuration.md").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal) && l.Contains(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/configuration.md has no '## {heading}' section.");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
    }
}
