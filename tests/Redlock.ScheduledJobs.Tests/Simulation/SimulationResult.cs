namespace RedlockAspects.ScheduledJobs.Tests.Simulation;

/// <summary>What a <see cref="SimulatedCluster"/> run did.</summary>
public sealed record SimulationResult(OccurrenceTally Tally, IReadOnlyList<DateTimeOffset> Occurrences, IReadOnlyList<string> Kills, IReadOnlyDictionary<string, TimeSpan> Skews)
{
    public (int Zero, int One, int TwoOrMore) Counts => Tally.Counts(Occurrences);

    public IEnumerable<string> NotExactlyOnce => Occurrences.Where(o => Tally.CompletedOn(o).Count != 1).Select(Tally.Describe);
}
