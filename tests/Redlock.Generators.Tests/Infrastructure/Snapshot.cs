using System.Text.RegularExpressions;

namespace RedlockAspects.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated text with a committed baseline in <c>Baselines/</c>. Set <c>REDLOCK_UPDATE_SNAPSHOTS=1</c> to
/// rewrite the baselines on purpose; a missing baseline is written and the test fails, so it gets reviewed.
/// </summary>
internal static partial class Snapshot
{
    public const string UpdateVariable = "REDLOCK_UPDATE_SNAPSHOTS";

    public static void Match(string name, string actual)
    {
        var directory = Repository.Path("tests", "Redlock.Generators.Tests", "Baselines");
        var path = Path.Combine(directory, name);
        var normalized = Scrub(actual);
        var update = Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";
        if (update || !File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, normalized);
            if (!update)
            {
                Assert.Fail($"The baseline {path} did not exist and has been written; review it and commit it.");
            }

            return;
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != normalized)
        {
            Assert.Fail($"The generated source differs from the baseline {path}. If the change is intended, rerun with {UpdateVariable}=1 and review the diff.\n"
                + FirstDifference(expected, normalized)
                + "\n--- actual ---\n" + normalized);
        }
    }

    /// <summary>The generator's version is not part of the shape under test.</summary>
    public static string Scrub(string text) =>
        VersionPattern().Replace(text.ReplaceLineEndings("\n"), "GeneratedCode(\"Redlock.Generators\", \"{version}\")");

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            if (e != a)
            {
                return $"First difference at line {i + 1}:\n  expected: {e}\n  actual:   {a}";
            }
        }

        return "(no line differs; whitespace at the end?)";
    }

    [GeneratedRegex("GeneratedCode\\(\"Redlock\\.Generators\", \"[^\"]*\"\\)")]
    private static partial Regex VersionPattern();
}
