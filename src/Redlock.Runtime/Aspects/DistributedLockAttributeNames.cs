namespace RedlockAspects;

/// <summary>
/// The named arguments of <see cref="DistributedLockAttribute"/> and their defaults, in one place. The attribute and
/// <see cref="DistributedLockSettings"/> take their defaults from here, and the source generator links this file (with
/// <see cref="OnBusy"/>) as source, so the generator reads attributes, and its code fixes write them, by these names.
/// Kept to C# that also compiles in the generator (netstandard2.0, no other runtime types).
/// </summary>
internal static class DistributedLockAttributeNames
{
    public const string TtlMs = "TtlMs";
    public const string WaitMs = "WaitMs";
    public const string OnBusy = "OnBusy";
    public const string AutoExtend = "AutoExtend";
    public const string MaxHoldMs = "MaxHoldMs";
    public const string MinHoldMs = "MinHoldMs";
    public const string Fencing = "Fencing";
    public const string Reentrant = "Reentrant";

    /// <summary>-1: use the engine's retry settings.</summary>
    public const int DefaultWaitMs = -1;
    public const global::RedlockAspects.OnBusy DefaultOnBusy = global::RedlockAspects.OnBusy.Throw;
    public const bool DefaultAutoExtend = true;

    /// <summary>0: no limit.</summary>
    public const int DefaultMaxHoldMs = 0;

    /// <summary>0: release at once.</summary>
    public const int DefaultMinHoldMs = 0;
    public const bool DefaultFencing = false;
    public const bool DefaultReentrant = true;
}
