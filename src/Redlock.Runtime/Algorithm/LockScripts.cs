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

    /// <summary>Every script, for loading them when a connection opens.</summary>
    public static readonly string[] All = [Release, Extend, AcquireAll, AcquireFenced, RaiseFence];
}
