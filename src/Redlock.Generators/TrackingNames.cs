namespace RedlockAspects.Generators;

/// <summary>Names of the generator's pipeline steps, so tests can check that each one caches.</summary>
public static class TrackingNames
{
    /// <summary>Every <c>[DistributedLock]</c> method, parsed (null when invalid).</summary>
    public const string Parse = "RedlockParse";

    /// <summary>The models that get a file: wrappers for valid methods, throwing stubs for invalid ones.</summary>
    public const string ToEmit = "RedlockToEmit";
}
