using System.Globalization;
using System.Text;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>What a run did and found.</summary>
internal sealed record HarnessReport
{
    public required HarnessConfig Config { get; init; }

    public required TimeSpan Duration { get; init; }

    public required bool StoppedByBudget { get; init; }

    public required long Operations { get; init; }

    public required long Leases { get; init; }

    /// <summary>Leases taken through the fair queue across processes.</summary>
    public required long FairLeases { get; init; }

    public required string OperationDetail { get; init; }

    public required int Faults { get; init; }

    public required string FaultDetail { get; init; }

    public required string CheckDetail { get; init; }

    public required int ViolationCount { get; init; }

    public required IReadOnlyDictionary<ViolationKind, int> ViolationsByKind { get; init; }

    public required IReadOnlyList<Violation> Examples { get; init; }

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"seed {Config.Seed}, {Config.Backend}, {Config.Nodes} nodes, {Config.Workers} workers, mutation {Config.Mutation}: " +
        $"{Operations} ops ({Leases} leases) in {Duration.TotalSeconds:0.0} s{(StoppedByBudget ? " (stopped by the wall-clock budget)" : string.Empty)}, " +
        $"{Faults} faults, {ViolationCount} violations");

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(Summary);
        text.AppendLine("operations: " + OperationDetail);
        text.AppendLine("faults: " + (Faults == 0 ? "none" : FaultDetail));
        text.AppendLine("checks: " + CheckDetail);
        if (ViolationCount > 0)
        {
            text.AppendLine("violations: " + string.Join(", ", ViolationsByKind.OrderBy(v => v.Key).Select(v => $"{v.Key} {v.Value}")));
            foreach (var example in Examples)
            {
                text.AppendLine($"  {example.Kind}: {example.Detail}");
            }
        }

        return text.ToString();
    }
}
