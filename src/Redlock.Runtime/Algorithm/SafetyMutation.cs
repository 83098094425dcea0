namespace RedlockAspects.Algorithm;

/// <summary>
/// Planted bugs that the lease-safety harness switches on, per engine, to prove that its checker can fail.
/// Set only by tests (through <see cref="RedlockOptions.Mutation"/>, which is internal); production engines run with <see cref="None"/>.
/// </summary>
internal enum SafetyMutation
{
    /// <summary>The engine as shipped.</summary>
    None,

    /// <summary>Defect 1 of the lease-safety issue: an extension with a shorter TTL keeps the lease's old validity.</summary>
    KeepValidityOnShorterExtension,

    /// <summary>Validity counted from the end of the winning attempt instead of its start (belief outlives the keys).</summary>
    ValidityFromAttemptEnd,
}
