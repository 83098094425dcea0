namespace ScheduledJobs.Instances;

// --kill-one: the first instance to start the target occurrence is killed half way through it. Shared by every
// instance; DemoRunner supplies what "kill" does (tear the instance's engine down without releasing, stop its host).
public sealed class KillSwitch(DateTimeOffset? target, Func<string, DateTimeOffset, Task>? kill)
{
    public static KillSwitch Off { get; } = new(null, null);

    private int _used;

    public bool ShouldKill(DateTimeOffset occurrence) =>
        kill is not null && target == occurrence && Interlocked.Exchange(ref _used, 1) == 0;

    private volatile string? _victim;

    // A dead process says nothing: the demo silences the victim's logs (its host is only being torn down).
    public bool IsDead(string instance) => _victim == instance;

    public Task KillAsync(string instance, DateTimeOffset occurrence)
    {
        _victim = instance;
        return kill?.Invoke(instance, occurrence) ?? Task.CompletedTask;
    }
}
