namespace RedlockAspects;

/// <summary>What a <see cref="DistributedLockAttribute"/> method does when another owner holds the lock.</summary>
public enum OnBusy
{
    /// <summary>Throw <see cref="RedlockBusyException"/> once the wait runs out (the default).</summary>
    Throw = 0,

    /// <summary>Return without running the body: someone else is doing this work. Only for methods that return no value.</summary>
    Skip = 1,
}
