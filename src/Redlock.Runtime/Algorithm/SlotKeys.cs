using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Names the keys a lock key brings along (its fencing counter, holder description, fair queue) so that they live in the
/// lock key's Redis Cluster slot and one script can touch them all: <c>&lt;key&gt;&lt;suffix&gt;</c> when the key already has
/// a hash tag (the derived key keeps the tag), else <c>{&lt;key&gt;}&lt;suffix&gt;</c>, whose tag is the whole key and so
/// hashes to the key's own slot. The lock key and its value stay exactly as node <c>redlock</c> writes them.
/// </summary>
internal static class SlotKeys
{
    public static RedisKey Derive(RedisKey lockKey, string suffix)
    {
        var key = (string)lockKey!;
        return HasHashTag(key) ? new RedisKey(key + suffix) : new RedisKey("{" + key + "}" + suffix);
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
