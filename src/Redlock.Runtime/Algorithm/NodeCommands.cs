using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>The per-node commands of each phase, as static delegates so that sending them allocates no closures.</summary>
internal static class NodeCommands
{
    /// <summary>One resource: the plain <c>SET key token NX PX ttl</c> of the Redlock description.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<bool>> SetIfAbsent =
        // Expiries are whole milliseconds by the time they get here (LeaseDurations), so the client's conversion is exact.
        static (db, r) => db.StringSetAsync(r.Keys[0], r.Token, r.Expiry, When.NotExists);

    /// <summary>Several resources: all or none, in one script call per node.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> SetAllIfAbsent =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.AcquireAll, r.Keys, [r.Token, LeaseDurations.ToMilliseconds(r.Expiry)]);

    /// <summary>Compare-and-pexpire: extends (or shortens) the keys only while they still carry our token.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> Expire =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.Extend, r.Keys, [r.Token, LeaseDurations.ToMilliseconds(r.Expiry)]);

    /// <summary>Compare-and-delete.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> Delete =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.Release, r.Keys, [r.Token]);

    /// <summary>Fenced acquire of one or more resources: the lock keys, then their counters, in one script call per node.</summary>
    public static readonly Func<IDatabaseAsync, FencedRequest, Task<RedisResult>> SetAllIfAbsentFenced =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.AcquireFenced, r.Keys, [r.Token, LeaseDurations.ToMilliseconds(r.Expiry)]);

    /// <summary>Raises the fencing counters (the keys) to the token.</summary>
    public static readonly Func<IDatabaseAsync, FencedRequest, Task<RedisResult>> RaiseFence =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.RaiseFence, r.Keys, [r.Fence]);

    /// <summary>Compare-and-delete without waiting for the answer, to undo a failed attempt.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> DeleteFireAndForget =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.Undo, r.Keys, [r.Token], CommandFlags.FireAndForget);

    /// <summary>Acquire with a holder description, fenced or not (<see cref="LockScripts.AcquireDescribed"/>).</summary>
    public static readonly Func<IDatabaseAsync, DescribedRequest, Task<RedisResult>> SetAllIfAbsentDescribed =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.AcquireDescribed, r.Keys,
            [r.Token, LeaseDurations.ToMilliseconds(r.Expiry), r.Description, r.Fenced ? "1" : "0"]);

    /// <summary>Compare-and-pexpire of the lock keys and their holder keys (the request's keys are both).</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> ExpireDescribed =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.ExtendDescribed, r.Keys, [r.Token, LeaseDurations.ToMilliseconds(r.Expiry)]);

    /// <summary>Compare-and-delete of the lock keys and their holder keys (the request's keys are both).</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> DeleteDescribed =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.ReleaseDescribed, r.Keys, [r.Token, "1"]);

    /// <summary><see cref="DeleteDescribed"/> without waiting for the answer, to undo a failed attempt.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> DeleteDescribedFireAndForget =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.ReleaseDescribed, r.Keys, [r.Token, "0"], CommandFlags.FireAndForget);

    /// <summary>Reads a lock key, its life and its holder description (the request's two keys).</summary>
    public static readonly Func<IDatabaseAsync, RedisKey[], Task<RedisResult>> Inspect =
        static (db, keys) => db.ScriptEvaluateAsync(LockScripts.Inspect, keys);

    /// <summary>PING, for a health check that has no recent answer from a node.</summary>
    public static readonly Func<IDatabaseAsync, int, Task<TimeSpan>> Ping =
        static (db, _) => db.PingAsync();

    /// <summary>Any answer to PING means the node is up.</summary>
    public static readonly Func<TimeSpan, NodeReply> PingReply = static _ => NodeReply.Granted;

    /// <summary>Fair acquire of one resource: the lock key, then its queue, deadlines and ticket counter.</summary>
    public static readonly Func<IDatabaseAsync, FairRequest, Task<RedisResult>> FairAcquire =
        static (db, r) => db.ScriptEvaluateAsync(
            LockScripts.FairAcquire, r.Keys, [r.Token, LeaseDurations.ToMilliseconds(r.Expiry), r.Ticket, r.Waiter, r.EntryLifeMs, r.Attempt]);

    /// <summary>Takes a ticket for the fair queue (keys: the counter, the queue).</summary>
    public static readonly Func<IDatabaseAsync, FairRequest, Task<RedisResult>> TakeTicket =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.TakeTicket, [r.Keys[3], r.Keys[1]]);

    /// <summary>Leaves the fair queue (after getting the lock), without waiting for the answer.</summary>
    public static readonly Func<IDatabaseAsync, FairRequest, Task<RedisResult>> LeaveQueueFireAndForget =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.LeaveQueue, [r.Keys[1], r.Keys[2], r.Keys[4]], [r.Waiter], CommandFlags.FireAndForget);

    /// <summary>Leaves the fair queue when giving up, handing on a key a release had handed us; without waiting for the answer.</summary>
    public static readonly Func<IDatabaseAsync, FairRequest, Task<RedisResult>> GiveUpFireAndForget =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.GiveUp, [r.Keys[0], r.Keys[1], r.Keys[2], r.Keys[4]], [r.Token, r.Waiter], CommandFlags.FireAndForget);

    /// <summary>Undoes a failed fair attempt and hands a key it deletes to the head of the queue, without waiting for the answer.</summary>
    public static readonly Func<IDatabaseAsync, FairRequest, Task<RedisResult>> FairUndoFireAndForget =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.FairUndo, [r.Keys[0], r.Keys[1], r.Keys[2], r.Keys[4]], [r.Token], CommandFlags.FireAndForget);

    /// <summary>Compare-and-delete of a fair lease, waking the head of the queue.</summary>
    public static readonly Func<IDatabaseAsync, LockRequest, Task<RedisResult>> FairDelete =
        static (db, r) => db.ScriptEvaluateAsync(LockScripts.FairRelease, r.Keys, [r.Token]);

    /// <summary>
    /// The fair acquire script: 1 granted; 0 held, or −1 someone is ahead, both refusals on the one key; a newcomer's
    /// refusal comes with the ticket the node gave it, carried in <see cref="NodeReply.Fence"/>.
    /// </summary>
    public static readonly Func<RedisResult, NodeReply> FairReply = static result =>
    {
        if (result.Resp2Type == ResultType.Array)
        {
            var parts = (RedisResult[])result!;
            return NodeReply.RefusedOn(0) with { Fence = (long)parts[1] };
        }

        return !result.IsNull && (long)result > 0 ? NodeReply.Granted : NodeReply.RefusedOn(0);
    };

    /// <summary>A ticket: granted, carrying the number in <see cref="NodeReply.Fence"/>.</summary>
    public static readonly Func<RedisResult, NodeReply> TicketReply = static result =>
        NodeReply.Granted with { Fence = (long)result };

    /// <summary>A plain SET: granted, or refused because the one key exists.</summary>
    public static readonly Func<bool, NodeReply> SetReply = static granted => granted ? NodeReply.Granted : NodeReply.RefusedOn(0);

    /// <summary>The multi-resource script: 1 granted, −i refused on key i (1-based).</summary>
    public static readonly Func<RedisResult, NodeReply> SetAllReply = static result =>
        result.IsNull ? NodeReply.Refused : (long)result switch
        {
            > 0 => NodeReply.Granted,
            < 0 and var busy => NodeReply.RefusedOn((int)(-busy - 1)),
            _ => NodeReply.Refused,
        };

    /// <summary>The fenced acquire script: {1, highest} granted, {−i, highest} refused on key i (1-based).</summary>
    public static readonly Func<RedisResult, NodeReply> SetAllFencedReply = static result =>
    {
        var parts = (RedisResult[])result!;
        var verdict = (long)parts[0];
        var highest = (long)parts[1];
        return verdict > 0
            ? NodeReply.Granted with { Fence = highest }
            : NodeReply.RefusedOn(verdict < 0 ? (int)(-verdict - 1) : -1) with { Fence = highest };
    };

    /// <summary>Compare-and-… scripts: a positive count means done.</summary>
    public static readonly Func<RedisResult, NodeReply> PositiveReply = static result =>
        !result.IsNull && (long)result > 0 ? NodeReply.Granted : NodeReply.Refused;
}

/// <summary>The arguments of one node command.</summary>
/// <param name="Keys">The Redis keys.</param>
/// <param name="Token">Our token.</param>
/// <param name="Expiry">The key life to set, where the command sets one.</param>
internal readonly record struct LockRequest(RedisKey[] Keys, RedisValue Token, TimeSpan Expiry);

/// <summary>The arguments of a fenced command.</summary>
/// <param name="Keys">For the acquire, the lock keys then their counters; for the raise, the counters.</param>
/// <param name="Token">Our lock token.</param>
/// <param name="Expiry">The key life to set.</param>
/// <param name="Fence">The fencing token to raise the counters to.</param>
internal readonly record struct FencedRequest(RedisKey[] Keys, RedisValue Token, TimeSpan Expiry, long Fence);

/// <summary>The arguments of an acquire that also writes the holder description.</summary>
/// <param name="Keys">The lock keys, then (fenced) their counters, then their holder keys.</param>
/// <param name="Token">Our lock token.</param>
/// <param name="Expiry">The key life to set.</param>
/// <param name="Description">The holder description to store.</param>
/// <param name="Fenced">Whether the keys include fencing counters (and the reply carries the highest).</param>
internal readonly record struct DescribedRequest(RedisKey[] Keys, RedisValue Token, TimeSpan Expiry, RedisValue Description, bool Fenced);

/// <summary>The arguments of a fair-queue command for one resource.</summary>
/// <param name="Keys">The lock key, the queue, the queue's deadlines, the ticket counter and the hand-over notes.</param>
/// <param name="Token">Our lock token.</param>
/// <param name="Expiry">The key life to set.</param>
/// <param name="Ticket">Our ticket; 0 while we have none.</param>
/// <param name="Waiter">Our waiter id in the queue.</param>
/// <param name="EntryLifeMs">How long our queue entry lives without a refresh.</param>
/// <param name="Attempt">This attempt's number, which a hand-over quotes back so that we know when it was sent.</param>
internal readonly record struct FairRequest(RedisKey[] Keys, RedisValue Token, TimeSpan Expiry, long Ticket, RedisValue Waiter, long EntryLifeMs, long Attempt = 0);
