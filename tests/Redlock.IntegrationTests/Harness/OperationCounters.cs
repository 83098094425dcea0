namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>Shared counters of a run, updated by every worker.</summary>
internal sealed class OperationCounters
{
    public long Operations;
    public long Acquired;
    public long FairAcquired;
    public long Busy;
    public long NoQuorum;
    public long Cancelled;
    public long Extended;
    public long ShorterExtensions;
    public long ExtendFailed;
    public long Released;
    public long Abandoned;
    public long LostObserved;
    public long CallbacksThrown;
    public long NestedShared;
    public long NestedFromRedis;
}
