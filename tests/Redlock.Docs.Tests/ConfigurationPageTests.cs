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

    private static List<string> Section(string heading)
    {
        var lines = DocPages.Read("docs/configuration.md").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal) && l.Contains(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/configuration.md has no '## {heading}' section.");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
    }
}
