namespace RedlockAspects.Scheduling;

/// <summary>
/// How a scheduled job runs. The two numbers to think about are <see cref="MaxClockSkew"/> and <see cref="MaxRunTime"/>;
/// the lock's TTL, the done marker's life and the recovery window follow from them (see <see cref="DoneRetention"/>).
/// Every setter checks its value at once.
/// </summary>
public sealed class ScheduledJobOptions
{
    private string? _name;
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;
    private TimeSpan _maxClockSkew = TimeSpan.FromSeconds(10);
    private TimeSpan _maxRunTime = TimeSpan.FromMinutes(1);
    private TimeSpan _maxFiringDelay = TimeSpan.FromSeconds(5);
    private TimeSpan _lockTtl = TimeSpan.FromSeconds(5);
    private TimeSpan? _recoveryWindow;
    private TimeSpan _catchUpWindow = TimeSpan.Zero;
    private int _maxAttempts = 1;
    private TimeSpan _retryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The job's name: the keys are <c>jobs:{Name}:{occurrence:yyyyMMddHHmmss}</c> and <c>…:done</c>, so every instance
    /// must use the same name and different jobs different names. Defaults to the job class's name.
    /// </summary>
    public string? Name
    {
        get => _name;
        set => _name = value is null || (value.Length > 0 && !value.Any(char.IsWhiteSpace))
            ? value
            : throw new ArgumentException("A job name must be non-empty and contain no white space.", nameof(Name));
    }

    /// <summary>The time zone the cron expression is written in; UTC by default.</summary>
    public TimeZoneInfo TimeZone
    {
        get => _timeZone;
        set => _timeZone = value ?? throw new ArgumentNullException(nameof(TimeZone));
    }

    /// <summary>
    /// The largest error of any instance's clock (every clock within ±this of true time; two clocks then differ by up to
    /// twice this). A finished occurrence stays marked done long enough that an instance this far behind still skips it.
    /// Default 10 s.
    /// </summary>
    public TimeSpan MaxClockSkew
    {
        get => _maxClockSkew;
        set => _maxClockSkew = NonNegative(value, nameof(MaxClockSkew));
    }

    /// <summary>
    /// The longest one run may take. The body's token is cancelled when it is up and the run counts as failed; the
    /// lock is kept alive (auto-extension) no longer than this. At most about 24 days; default 1 min.
    /// </summary>
    public TimeSpan MaxRunTime
    {
        get => _maxRunTime;
        set => _maxRunTime = value > TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRunTime), value, "MaxRunTime must be greater than zero and at most about 24 days.");
    }

    /// <summary>
    /// How late an instance may fire after its own clock reaches the occurrence (timers, a busy thread pool, a GC
    /// pause). Added to the done marker's life. Default 5 s.
    /// </summary>
    public TimeSpan MaxFiringDelay
    {
        get => _maxFiringDelay;
        set => _maxFiringDelay = NonNegative(value, nameof(MaxFiringDelay));
    }

    /// <summary>
    /// The occurrence lock's TTL, renewed every third of it while the job runs. It is how soon after its holder dies an
    /// occurrence can be recovered, and how often waiting instances look. At least 100 ms; default 5 s.
    /// </summary>
    public TimeSpan LockTtl
    {
        get => _lockTtl;
        set => _lockTtl = value >= TimeSpan.FromMilliseconds(100) && value.TotalMilliseconds <= int.MaxValue
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LockTtl), value, "LockTtl must be between 100 ms and about 24 days.");
    }

    /// <summary>
    /// Take over an occurrence whose holder died mid-run (its lock expired and it was never marked done). On by
    /// default; turn it off for a job that must never run twice even when a run died half way (at most once).
    /// </summary>
    public bool Recovery { get; set; } = true;

    /// <summary>
    /// How long after firing an instance that found the occurrence held keeps watching it for recovery. Default
    /// <see cref="MaxRunTime"/> plus twice <see cref="LockTtl"/>, so a holder that dies at any point of its run is covered.
    /// </summary>
    public TimeSpan RecoveryWindow
    {
        get => _recoveryWindow ?? MaxRunTime + 2 * LockTtl;
        set => _recoveryWindow = NonNegative(value, nameof(RecoveryWindow));
    }

    /// <summary>What to do on start-up about occurrences missed while the instance was down. Default <see cref="CatchUpPolicy.None"/>.</summary>
    public CatchUpPolicy CatchUp { get; set; } = CatchUpPolicy.None;

    /// <summary>How far back <see cref="CatchUp"/> looks; required (greater than zero) when catching up.</summary>
    public TimeSpan CatchUpWindow
    {
        get => _catchUpWindow;
        set => _catchUpWindow = NonNegative(value, nameof(CatchUpWindow));
    }

    /// <summary>
    /// How many times the instance that took an occurrence starts the body before it gives up (1: no retry). A
    /// failed occurrence is then marked done like a completed one: no other instance retries it. Default 1.
    /// </summary>
    public int MaxAttempts
    {
        get => _maxAttempts;
        set => _maxAttempts = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "MaxAttempts must be at least 1.");
    }

    /// <summary>The pause between attempts. Default 1 s.</summary>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set => _retryDelay = NonNegative(value, nameof(RetryDelay));
    }

    /// <summary>
    /// The wall clock the schedule runs on (when occurrences fall due, the recovery window). <c>null</c> uses the
    /// registered <see cref="System.TimeProvider"/>, or the system clock. Lock timing stays on the engine's clock.
    /// </summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>
    /// How long the done marker of an occurrence lives: 2 × <see cref="MaxClockSkew"/> + <see cref="MaxFiringDelay"/> +
    /// <see cref="CatchUpWindow"/> + <see cref="RecoveryWindow"/> (when <see cref="Recovery"/> is on) + 2 × <see cref="LockTtl"/>.
    /// That covers the latest moment any instance can still try the occurrence: the last clock fires up to twice the
    /// skew (plus its firing delay) after the first, and may then watch it for recovery or reach it by catching up.
    /// </summary>
    public TimeSpan DoneRetention =>
        2 * MaxClockSkew + MaxFiringDelay + CatchUpWindow + (Recovery ? RecoveryWindow : TimeSpan.Zero) + 2 * LockTtl;

    /// <summary>Checks what can only be checked together; called when the job is registered.</summary>
    /// <exception cref="ArgumentException">A catch-up policy without a window, or a done marker too long for Redis.</exception>
    public void Validate()
    {
        if (CatchUp != CatchUpPolicy.None && CatchUpWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException($"CatchUp = {CatchUp} needs a CatchUpWindow greater than zero.", nameof(CatchUpWindow));
        }

        if (DoneRetention.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"The done marker would live {DoneRetention}, longer than Redis PX allows (about 24 days).", nameof(DoneRetention));
        }
    }

    private static TimeSpan NonNegative(TimeSpan value, string name) =>
        value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
}
