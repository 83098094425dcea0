using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Names the fencing counter of a lock key: <c>&lt;key&gt;:redlock-fence</c> when the key already has a Redis Cluster hash
/// tag (so the counter keeps the tag and the slot), else <c>{&lt;key&gt;}:redlock-fence</c>, whose tag is the whole key and so
/// hashes to the key's own slot. The lock key and its value stay exactly as node <c>redlock</c> writes them.
/// </summary>
internal static class FenceKeys
{
    public const string Suffix = ":redlock-fence";

    public static RedisKey For(RedisKey lockKey)
    {
        var key = (string)lockKey!;
        return HasHashTag(key) ? new RedisKey(key + Suffix) : new RedisKey("{" + key + "}" + Suffix);
    }

    /// <summary>Redis Cluster's rule: the first '{' and the first '}' after it enclose a non-empty tag.</summary>
    public static bool HasHashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        var close = key.IndexOf('}', open + 1);
        return close > open + 1;
    }
}
