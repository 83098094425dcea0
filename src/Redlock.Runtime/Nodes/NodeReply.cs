using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>What one node answered to one command, turned into the lock's terms.</summary>
/// <param name="State">Granted, refused (busy), failed, or not waited for.</param>
/// <param name="Detail">Why, for reports.</param>
/// <param name="Exception">The client's exception, when the node failed.</param>
/// <param name="BusyKey">For a refusal: the index of the key found held by someone else, or -1 when not known.</param>
/// <param name="Fence">For a fenced acquire: the highest fencing counter the node holds for the keys, granted or not; else -1.</param>
internal readonly record struct NodeReply(RedlockNodeState State, string? Detail = null, Exception? Exception = null, int BusyKey = -1, long Fence = -1)
{
    public static readonly NodeReply Granted = new(RedlockNodeState.Acquired);
    public static readonly NodeReply Refused = new(RedlockNodeState.Busy);
    public static readonly NodeReply NoAnswer = new(RedlockNodeState.TimedOut, "no answer within the node timeout");
    public static readonly NodeReply NotAwaited = new(RedlockNodeState.Pending, "not awaited: the outcome was already decided");
    public static readonly NodeReply Connecting = new(RedlockNodeState.Unreachable, "not connected yet");

    public bool IsGranted => State == RedlockNodeState.Acquired;

    public bool IsRefused => State == RedlockNodeState.Busy;

    /// <summary>The node failed to answer usefully (as opposed to granting, refusing, or not being waited for).</summary>
    public bool IsFailure => State is RedlockNodeState.TimedOut or RedlockNodeState.Unreachable or RedlockNodeState.Error;

    public static NodeReply RefusedOn(int busyKey) => new(RedlockNodeState.Busy, BusyKey: busyKey);

    public static NodeReply FromException(Exception exception)
    {
        var inner = exception is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : exception;
        return inner switch
        {
            RedisConnectionException e => new NodeReply(RedlockNodeState.Unreachable, ConnectionFailures.Describe(e), e),
            RedisTimeoutException e => new NodeReply(RedlockNodeState.TimedOut, e.Message, e),
            TimeoutException e => new NodeReply(RedlockNodeState.TimedOut, e.Message, e),
            ObjectDisposedException e => new NodeReply(RedlockNodeState.Unreachable, "the connection was disposed", e),
            RedisServerException e => new NodeReply(RedlockNodeState.Error, e.Message, e),
            _ => new NodeReply(RedlockNodeState.Error, inner.Message, inner),
        };
    }

    public RedlockNodeReport ToReport(string node) => new(node, State, Detail, Exception);
}
