namespace RedlockAspects.Algorithm;

/// <summary>
/// The Lua the lock runs. Keys and values only ever travel in KEYS and ARGV, never in the script text,
/// so one cached script serves every resource and nothing a caller passes can change what runs.
/// </summary>
internal static class LockScripts
{
    /// <summary>
    /// Deletes each key that still carries our token (ARGV[1]); returns how many were deleted. Same rule as node
    /// <c>redlock</c>'s release. Each deleted key also publishes the token on the key's wake channel
    /// (<see cref="WakeChannels.SuffixText"/> appended to the key), so that waiters in other processes try again at once
    /// instead of at their next poll. The channel is built from KEYS at run time, never written into the script.
    /// </summary>
    public const string Release = """
        local n = 0
        for i = 1, #KEYS do
          if redis.call('get', KEYS[i]) == ARGV[1] then
            n = n + redis.call('del', KEYS[i])
            redis.call('publish', KEYS[i] .. ':redlock-wake', ARGV[1])
          end
        end
        return n
        """;

    /// <summary>
    /// Undoes a failed attempt: deletes each key that still carries our token (ARGV[1]), like <see cref="Release"/>, but
    /// announces nothing. Under contention several losers undo at once; were each undo a wake-up, every waiter in every
    /// process would try again in step with the others, and such herds split the nodes' votes again and again.
    /// </summary>
    public const string Undo = """
        local n = 0
        for i = 1, #KEYS do
          if redis.call('get', KEYS[i]) == ARGV[1] then
            n = n + redis.call('del', KEYS[i])
          end
        end
        return n
        """;

    /// <summary>If every key still carries our token (ARGV[1]), sets every key's life to ARGV[2] ms and returns 1; otherwise changes nothing and returns 0.</summary>
    public const string Extend = """
        for i = 1, #KEYS do
          if redis.call('get', KEYS[i]) ~= ARGV[1] then
            return 0
          end
        end
        for i = 1, #KEYS do
          redis.call('pexpire', KEYS[i], ARGV[2])
        end
        return 1
        """;

    /// <summary>
    /// If no key exists, sets them all to our token (ARGV[1]) with a life of ARGV[2] ms and returns 1; otherwise sets none
    /// and returns −i for the first key i (1-based) that exists, so that the waiter knows which resource was busy.
    /// </summary>
    public const string AcquireAll = """
        for i = 1, #KEYS do
          if redis.call('exists', KEYS[i]) == 1 then
            return -i
          end
        end
        for i = 1, #KEYS do
          redis.call('set', KEYS[i], ARGV[1], 'PX', ARGV[2])
        end
        return 1
        """;

    /// <summary>
    /// Fenced acquire. KEYS are the n lock keys followed by their n fencing counters. Reads the highest counter, then, if
    /// no lock key exists, sets them all to our token (ARGV[1]) with a life of ARGV[2] ms. Returns {1, highest} when
    /// granted and {−i, highest} when key i (1-based) is busy: refusing nodes still tell their counters.
    /// </summary>
    public const string AcquireFenced = """
        local n = #KEYS / 2
        local highest = 0
        for i = n + 1, #KEYS do
          local c = tonumber(redis.call('get', KEYS[i]) or '0') or 0
          if c > highest then highest = c end
        end
        for i = 1, n do
          if redis.call('exists', KEYS[i]) == 1 then
            return {-i, highest}
          end
        end
        for i = 1, n do
          redis.call('set', KEYS[i], ARGV[1], 'PX', ARGV[2])
        end
        return {1, highest}
        """;

    /// <summary>Raises each fencing counter (KEYS) to ARGV[1] unless it is already there or higher; never lowers one. Returns 1.</summary>
    public const string RaiseFence = """
        local token = tonumber(ARGV[1])
        for i = 1, #KEYS do
          local c = tonumber(redis.call('get', KEYS[i]) or '0') or 0
          if c < token then
            redis.call('set', KEYS[i], ARGV[1])
          end
        end
        return 1
        """;

    /// <summary>
    /// Acquire with a holder description (<see cref="RedlockOptions.HolderName"/>). KEYS are the n lock keys, then (when
    /// ARGV[4] is '1', fenced) their n fencing counters, then their n holder keys. If no lock key exists, sets every lock
    /// key to our token (ARGV[1]) and every holder key to the description (ARGV[3]), all with a life of ARGV[2] ms. Returns
    /// what <see cref="AcquireAll"/> returns, or, fenced, what <see cref="AcquireFenced"/> returns.
    /// </summary>
    public const string AcquireDescribed = """
        local fenced = ARGV[4] == '1'
        local n = fenced and #KEYS / 3 or #KEYS / 2
        local holders = fenced and 2 * n or n
        local highest = 0
        if fenced then
          for i = n + 1, 2 * n do
            local c = tonumber(redis.call('get', KEYS[i]) or '0') or 0
            if c > highest then highest = c end
          end
        end
        for i = 1, n do
          if redis.call('exists', KEYS[i]) == 1 then
            if fenced then return {-i, highest} end
            return -i
          end
        end
        for i = 1, n do
          redis.call('set', KEYS[i], ARGV[1], 'PX', ARGV[2])
          redis.call('set', KEYS[holders + i], ARGV[3], 'PX', ARGV[2])
        end
        if fenced then return {1, highest} end
        return 1
        """;

    /// <summary>
    /// <see cref="Extend"/> for a described lock: KEYS are the n lock keys then their n holder keys; if every lock key
    /// still carries our token (ARGV[1]), sets the life of all of them to ARGV[2] ms and returns 1; otherwise returns 0.
    /// </summary>
    public const string ExtendDescribed = """
        local n = #KEYS / 2
        for i = 1, n do
          if redis.call('get', KEYS[i]) ~= ARGV[1] then
            return 0
          end
        end
        for i = 1, #KEYS do
          redis.call('pexpire', KEYS[i], ARGV[2])
        end
        return 1
        """;

    /// <summary>
    /// <see cref="Release"/> for a described lock: KEYS are the n lock keys then their n holder keys; deletes each lock key
    /// that still carries our token (ARGV[1]) together with its holder key; returns how many lock keys were deleted. With
    /// ARGV[2] = '1' (a release, not the undo of a failed attempt) each deleted key is announced as <see cref="Release"/> does.
    /// </summary>
    public const string ReleaseDescribed = """
        local n = #KEYS / 2
        local deleted = 0
        for i = 1, n do
          if redis.call('get', KEYS[i]) == ARGV[1] then
            deleted = deleted + redis.call('del', KEYS[i])
            redis.call('del', KEYS[n + i])
            if ARGV[2] == '1' then
              redis.call('publish', KEYS[i] .. ':redlock-wake', ARGV[1])
            end
          end
        end
        return deleted
        """;

    /// <summary>
    /// Inspection, read-only: KEYS[1] is the lock key, KEYS[2] its holder key. Returns {value, pttl, description}, with
    /// '' for a missing value and the PTTL convention (−2 no key, −1 no expiry).
    /// </summary>
    public const string Inspect = """
        return {redis.call('get', KEYS[1]) or '', redis.call('pttl', KEYS[1]), redis.call('get', KEYS[2]) or ''}
        """;

    /// <summary>
    /// Fair acquire of one resource (docs/fairness.md). KEYS: the lock key, its queue (ZSET: waiter → ticket), the queue's
    /// deadlines (ZSET: waiter → expiry, in the node's own milliseconds), its ticket counter, and its hand-over notes (HASH:
    /// waiter → "attempt|token|ms", what a release needs to hand the lock to that waiter). ARGV: our token, the key life in
    /// ms, our ticket (0 for a newcomer with none yet), our waiter id, how long our entry lives unrefreshed, and this
    /// attempt's number. Drops expired entries. When a release already handed us the key, takes it: the key gets our full
    /// life from now and we leave the queue. Otherwise, with a ticket, adds or refreshes our entry and note (a hand-over
    /// sets the key for no longer than an entry lives, so a waiter that died at the head blocks no longer than its entry
    /// would) and raises the counter to our ticket; then grants (SET, as node <c>redlock</c> does, and leaves the queue)
    /// only when the key is free and we head the live queue or it is empty. Returns 1 granted, 0 the key is held, −1
    /// someone is ahead of us. A newcomer (ticket 0) that is refused also takes a ticket, as <see cref="TakeTicket"/>
    /// does, and gets <c>{0 or −1, ticket}</c>: joining the queue then costs no round trip of its own.
    /// </summary>
    public const string FairAcquire = NextTicket + "\n" + """
        local t = redis.call('time')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local dead = redis.call('zrangebyscore', KEYS[3], '-inf', now)
        if #dead > 0 then
          redis.call('zrem', KEYS[2], unpack(dead))
          redis.call('zremrangebyscore', KEYS[3], '-inf', now)
          redis.call('hdel', KEYS[5], unpack(dead))
        end
        if redis.call('get', KEYS[1]) == ARGV[1] then
          redis.call('pexpire', KEYS[1], ARGV[2])
          redis.call('zrem', KEYS[2], ARGV[4])
          redis.call('zrem', KEYS[3], ARGV[4])
          redis.call('hdel', KEYS[5], ARGV[4])
          return 1
        end
        local ticket = tonumber(ARGV[3])
        local life = tonumber(ARGV[5])
        local function refuse(code)
          if ticket > 0 then
            return code
          end
          return {code, next_ticket(KEYS[4], KEYS[2])}
        end
        if ticket > 0 then
          redis.call('zadd', KEYS[2], ticket, ARGV[4])
          redis.call('zadd', KEYS[3], now + life, ARGV[4])
          redis.call('hset', KEYS[5], ARGV[4], ARGV[6] .. '|' .. ARGV[1] .. '|' .. math.min(tonumber(ARGV[2]), life))
          redis.call('pexpire', KEYS[2], life)
          redis.call('pexpire', KEYS[3], life)
          redis.call('pexpire', KEYS[5], life)
          local c = tonumber(redis.call('get', KEYS[4]) or '0') or 0
          if c < ticket then
            redis.call('set', KEYS[4], ARGV[3], 'PX', 60000)
          end
        end
        if redis.call('exists', KEYS[1]) == 1 then
          return refuse(0)
        end
        local head = redis.call('zrange', KEYS[2], 0, 0)
        if head[1] and head[1] ~= ARGV[4] then
          return refuse(-1)
        end
        redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
        if ticket > 0 then
          redis.call('zrem', KEYS[2], ARGV[4])
          redis.call('zrem', KEYS[3], ARGV[4])
          redis.call('hdel', KEYS[5], ARGV[4])
        end
        return 1
        """;

    /// <summary>A ticket for the fair queue (<see cref="NextTicket"/>). KEYS: the ticket counter, the queue. Returns the ticket.</summary>
    public const string TakeTicket = NextTicket + "\n" + """
        return next_ticket(KEYS[1], KEYS[2])
        """;

    /// <summary>
    /// Defines <c>next_ticket(counter, queue)</c>, shared by <see cref="TakeTicket"/> and a newcomer's refused
    /// <see cref="FairAcquire"/>: one more than the larger of the counter and the highest ticket queued (a counter that
    /// expired cannot hand out a ticket below a waiter still queued), stored in the counter.
    /// </summary>
    private const string NextTicket = """
        local function next_ticket(counter, queue)
          local c = tonumber(redis.call('get', counter) or '0') or 0
          local top = redis.call('zrevrange', queue, 0, 0, 'withscores')
          if top[2] and tonumber(top[2]) > c then
            c = tonumber(top[2])
          end
          c = c + 1
          redis.call('set', counter, c, 'PX', 60000)
          return c
        end
        """;

    /// <summary>Removes waiter ARGV[1] from the queue (KEYS[1]), its deadlines (KEYS[2]) and its hand-over notes (KEYS[3]). Returns 1.</summary>
    public const string LeaveQueue = """
        redis.call('zrem', KEYS[1], ARGV[1])
        redis.call('zrem', KEYS[2], ARGV[1])
        redis.call('hdel', KEYS[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// The end of a fair release, once the lock key (KEYS[1]) held with token ARGV[1] is deleted: drops expired entries
    /// from the queue (KEYS[2], deadlines KEYS[3], notes KEYS[4]) and hands the lock to the head of the live queue. With a
    /// hand-over note, the key is set for the head (its token, for the note's life), the head leaves the queue, and it is
    /// told <c>g:&lt;waiter&gt; &lt;released token&gt; &lt;attempt&gt; &lt;ms&gt;</c>: the attempt is the last one of
    /// the head's that this node saw, which was sent before the key was set. Without a note (a waiter of an older version),
    /// <c>w:&lt;waiter&gt; &lt;released token&gt;</c> wakes it to try. A waiter id <c>&lt;engine&gt;.&lt;id&gt;</c> is
    /// told on its engine's turn channel (<see cref="WakeChannels.TurnChannelPrefix"/> and the engine part), so that no
    /// other process wakes at all; any other id on the key's wake channel. With nobody queued, the released token on the
    /// key's wake channel, which wakes any waiter, when the script before it set <c>announce_free</c> (an undo does not).
    /// </summary>
    private const string HandOver = """
        local t = redis.call('time')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local dead = redis.call('zrangebyscore', KEYS[3], '-inf', now)
        if #dead > 0 then
          redis.call('zrem', KEYS[2], unpack(dead))
          redis.call('zremrangebyscore', KEYS[3], '-inf', now)
          redis.call('hdel', KEYS[4], unpack(dead))
        end
        local head = redis.call('zrange', KEYS[2], 0, 0)
        if head[1] then
          local engine = string.match(head[1], '^(%x+)%.')
          local channel = engine and ('redlock-aspects:turn:' .. engine) or (KEYS[1] .. ':redlock-wake')
          local note = redis.call('hget', KEYS[4], head[1])
          local attempt, token, ms
          if note then
            attempt, token, ms = string.match(note, '^(%d+)|(%x+)|(%d+)$')
          end
          if token then
            redis.call('set', KEYS[1], token, 'PX', ms)
            redis.call('zrem', KEYS[2], head[1])
            redis.call('zrem', KEYS[3], head[1])
            redis.call('hdel', KEYS[4], head[1])
            redis.call('publish', channel, 'g:' .. head[1] .. ' ' .. ARGV[1] .. ' ' .. attempt .. ' ' .. ms)
          else
            redis.call('publish', channel, 'w:' .. head[1] .. ' ' .. ARGV[1])
          end
        elseif announce_free then
          redis.call('publish', KEYS[1] .. ':redlock-wake', ARGV[1])
        end
        return 1
        """;

    /// <summary>
    /// Release of a fair lease: compare-and-delete of the lock key (KEYS[1]) with our token (ARGV[1]), then the hand-over
    /// to the head of the queue (<see cref="HandOver"/>; KEYS[2..4] the queue, its deadlines and its notes). Returns 1 when deleted.
    /// </summary>
    public const string FairRelease = DeleteOurs + AnnounceFree + HandOver;

    /// <summary>
    /// A fair waiter that gives up (times out, is cancelled, or failed) leaves the queue (KEYS[2..4]) as waiter ARGV[2];
    /// and when a release had already handed it the key (KEYS[1] holds its token ARGV[1]), it deletes the key and hands
    /// it on (<see cref="HandOver"/>), so the line moves at once. Returns 1 when it had the key, else 0.
    /// </summary>
    public const string GiveUp = """
        redis.call('zrem', KEYS[2], ARGV[2])
        redis.call('zrem', KEYS[3], ARGV[2])
        redis.call('hdel', KEYS[4], ARGV[2])

        """ + DeleteOurs + AnnounceFree + HandOver;

    /// <summary>
    /// Undoes a failed fair attempt: compare-and-delete of the lock key (KEYS[1]) with our token (ARGV[1]), and when it
    /// deleted the key, the hand-over to the head of the queue (KEYS[2..4]) that a release would have made. The key may be
    /// one a release handed us while the attempt was on its way; without this the node's line would wait for its next
    /// release or a poll. With nobody queued it announces nothing, like <see cref="Undo"/>. Returns 1 when deleted.
    /// </summary>
    public const string FairUndo = DeleteOurs + """
        local announce_free = false

        """ + HandOver;

    /// <summary>Compare-and-delete of the lock key (KEYS[1]) with our token (ARGV[1]): returns 0 unless it was ours.</summary>
    private const string DeleteOurs = """
        if redis.call('get', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        redis.call('del', KEYS[1])

        """;

    /// <summary>For <see cref="HandOver"/>: with nobody queued, announce the release on the key's wake channel.</summary>
    private const string AnnounceFree = """
        local announce_free = true

        """;

    /// <summary>Every script, for loading them when a connection opens.</summary>
    public static readonly string[] All =
        [Release, Undo, Extend, AcquireAll, AcquireFenced, RaiseFence, AcquireDescribed, ExtendDescribed, ReleaseDescribed, Inspect, FairAcquire, TakeTicket, LeaveQueue, FairRelease, GiveUp, FairUndo];
}
