using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Names the holder-description key of a lock key, in the lock key's slot (<see cref="SlotKeys"/>), so that one script
/// can write both. The lock key and its value are untouched.
/// </summary>
internal static class HolderKeys
{
    public const string Suffix = ":redlock-holder";

    public static RedisKey For(RedisKey lockKey) => SlotKeys.Derive(lockKey, Suffix);

    /// <summary>The lock keys followed by their holder keys, the layout the described scripts expect.</summary>
    public static RedisKey[] WithHolders(RedisKey[] lockKeys)
    {
        var keys = new RedisKey[lockKeys.Length * 2];
        for (var i = 0; i < lockKeys.Length; i++)
        {
            keys[i] = lockKeys[i];
            keys[lockKeys.Length + i] = For(lockKeys[i]);
        }

        return keys;
    }
}
