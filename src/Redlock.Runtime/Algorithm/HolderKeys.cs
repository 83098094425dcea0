using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Names the holder-description key of a lock key: <c>&lt;key&gt;:redlock-holder</c> when the key already has a Redis
/// Cluster hash tag, else <c>{&lt;key&gt;}:redlock-holder</c>, so that it lives in the lock key's slot (the same rule as
/// <see cref="FenceKeys"/>) and one script can write both. The lock key and its value are untouched.
/// </summary>
internal static class HolderKeys
{
    public const string Suffix = ":redlock-holder";

    public static RedisKey For(RedisKey lockKey)
    {
        var key = (string)lockKey!;
        return FenceKeys.HasHashTag(key) ? new RedisKey(key + Suffix) : new RedisKey("{" + key + "}" + Suffix);
    }

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
