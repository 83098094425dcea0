namespace RedlockAspects;

/// <summary>
/// Who took a lock, as the holding engine described itself (<see cref="RedlockOptions.HolderName"/>). Present only for
/// locks taken by an engine with a holder name; a node <c>redlock</c> client or an engine without one leaves none.
/// </summary>
/// <param name="Name">The holder's <see cref="RedlockOptions.HolderName"/>.</param>
/// <param name="Host">The holder's machine name.</param>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="AcquiredAt">When the holder's winning attempt began, by the holder's clock.</param>
public sealed record RedlockHolder(string? Name, string? Host, int? ProcessId, DateTimeOffset? AcquiredAt)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Name ?? "(no name)"} on {Host ?? "?"} (pid {ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})" +
        (AcquiredAt is { } at ? $", since {at:O}" : string.Empty);
}
