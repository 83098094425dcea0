using System.Globalization;
using RedlockAspects.Algorithm;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// Everything one harness run depends on. The seed fixes the operation and fault sequences; timing on real nodes
/// cannot be replayed, so the same seed gives the same plan, not necessarily the same interleaving.
/// </summary>
internal sealed record HarnessConfig
{
    public const string SeedVariable = "REDLOCK_HARNESS_SEED";
    public const string OpsVariable = "REDLOCK_HARNESS_OPS";
    public const string NodesVariable = "REDLOCK_HARNESS_NODES";
    public const string ThrowingCallbacksVariable = "REDLOCK_HARNESS_THROWING_CALLBACKS";
    public const string ShorteningVariable = "REDLOCK_HARNESS_SHORTENING";

    public required RedisBackend Backend { get; init; }

    public required int Seed { get; init; }

    public int Nodes { get; init; } = 3;

    public int Workers { get; init; } = 8;

    public int Resources { get; init; } = 3;

    /// <summary>Engine calls to make in all (acquire, extend, release... each counts once).</summary>
    public int Operations { get; init; } = 2_000;

    /// <summary>The run stops early once this has passed, so a slow machine makes a smaller run, not a timeout.</summary>
    public TimeSpan WallClockBudget { get; init; } = TimeSpan.FromSeconds(20);

    public int MinTtlMs { get; init; } = 30;

    public int MaxTtlMs { get; init; } = 600;

    public int MaxMinHoldMs { get; init; } = 400;

    /// <summary>Relative weights of the lease steps; the planted-bug test raises <see cref="ShorterExtensionWeight"/>.</summary>
    public int HoldWeight { get; init; } = 6;

    public int LongerExtensionWeight { get; init; } = 3;

    public int ShorterExtensionWeight { get; init; } = 3;

    public int OtherExtensionWeight { get; init; } = 2;

    /// <summary>Chance that a lease gets a LostToken callback that throws.</summary>
    public double ThrowingCallbackRate { get; init; } = 0.3;

    public bool Faults { get; init; } = true;

    /// <summary>
    /// When false, an extension never asks for less than the lease's current TTL (and sub-millisecond extensions are
    /// skipped): for looking past the shorter-extension defects at whatever else an engine does wrong.
    /// </summary>
    public bool ShorteningAllowed { get; init; } = true;

    public SafetyMutation Mutation { get; init; } = SafetyMutation.None;

    /// <summary>The longest a key can live after its last write: every TTL and minimum hold in play is below this.</summary>
    public TimeSpan LongestKeyLife => TimeSpan.FromMilliseconds(MaxTtlMs + MaxMinHoldMs);

    /// <summary>
    /// The Redlock delayed restart: a killed node comes back empty only after every key it could have held has
    /// expired, or a second holder could legitimately win a quorum that includes it.
    /// </summary>
    public TimeSpan RestartDelay => LongestKeyLife + TimeSpan.FromMilliseconds(500);

    /// <summary>How many nodes may be faulted at once: always a minority.</summary>
    public int MaxFaultedNodes => (Nodes - 1) / 2;

    /// <summary>
    /// The CI-sized run, with REDLOCK_HARNESS_SEED / _OPS / _NODES / _THROWING_CALLBACKS / _SHORTENING applied when set.
    /// A run sized from the environment gets a wall-clock budget that fits its operation count.
    /// </summary>
    public static HarnessConfig FromEnvironment(RedisBackend backend, int nodes)
    {
        var config = new HarnessConfig
        {
            Backend = backend,
            Seed = ReadInt(SeedVariable) ?? Random.Shared.Next(1, int.MaxValue),
            Nodes = ReadInt(NodesVariable) ?? nodes,
        };

        if (ReadInt(OpsVariable) is { } ops)
        {
            config = config with { Operations = ops, WallClockBudget = TimeSpan.FromSeconds(Math.Max(20, ops / 50.0)) };
        }

        // Switches for looking past one known defect at the others: 0 turns the feature off.
        if (Environment.GetEnvironmentVariable(ThrowingCallbacksVariable) == "0")
        {
            config = config with { ThrowingCallbackRate = 0 };
        }

        if (Environment.GetEnvironmentVariable(ShorteningVariable) == "0")
        {
            config = config with { ShorteningAllowed = false };
        }

        return config;
    }

    /// <summary>The one-line command that replays this run's plan.</summary>
    public string ReplayCommand(string testFilter) =>
        $"{SeedVariable}={Seed} {OpsVariable}={Operations} {NodesVariable}={Nodes}" +
        (ThrowingCallbackRate == 0 ? $" {ThrowingCallbacksVariable}=0" : string.Empty) +
        (ShorteningAllowed ? string.Empty : $" {ShorteningVariable}=0") +
        $" dotnet test tests/Redlock.IntegrationTests --filter \"{testFilter}\"";

    private static int? ReadInt(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
