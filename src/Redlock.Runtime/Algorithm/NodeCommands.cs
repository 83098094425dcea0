using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>The per-node commands of each phase, as static delegates so that sending them allocates no closures.</summary>
internal static class NodeCommands
{
    /// <summary>One resource: the plain <c>SET key token NX PX ttl</c> of the Redlock description.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<bool>> SetIfAbsent =
        static (db, r) => db.StringSetAsync(r.Keys[0], r.Token, r.Expiry, When.NotExists);

    /// <summary>Several resources: all or none, in one script call per node.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> SetAllIfAbsent =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.AcquireAll, r.Keys, [r.Token, (long)r.Expiry.TotalMilliseconds]);

    /// <summary>Compare-and-pexpire: extends (or shortens) the keys only while they still carry our token.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> Expire =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.Extend, r.Keys, [r.Token, (long)r.Expiry.TotalMilliseconds]);

    /// <summary>Compare-and-delete.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> Delete =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.Release, r.Keys, [r.Token]);

    public static readonly Func<bool, bool> IsTrue = static granted => granted;

    public static readonly Func<RedisResult, bool> IsPositive = static result => !result.IsNull && (long)result > 0;
}

/// <summary>The arguments of one node command.</summary>
/// <param name="Keys">The Redis keys.</param>
/// <param name="Token">Our token.</param>
/// <param name="Expiry">The key life to set, where the command sets one.</param>
internal readonly record struct LockRequest(RedisKey[] Keys, RedisValue Token, TimeSpan Expiry);
