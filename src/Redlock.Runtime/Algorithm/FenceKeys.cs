using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>Names the fencing counter of a lock key, in the lock key's slot (<see cref="SlotKeys"/>).</summary>
internal static class FenceKeys
{
    public const string Suffix = ":redlock-fence";

    public static RedisKey For(RedisKey lockKey) => SlotKeys.Derive(lockKey, Suffix);
}
