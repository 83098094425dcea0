using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Sends one command to every node at once and completes as soon as the outcome is decided:
/// a quorum granted, a quorum became impossible, every node answered, or the per-node timeout
/// (on our own timer) ran out. Late answers do not change the outcome (nodes that did not answer count as timed out), but
/// every answer, and every silence until the timeout, goes into the node's <see cref="NodeHealth"/>.
/// </summary>
internal sealed class QuorumRound<TResult>
{
    private readonly NodeReply?[] _replies;
    private readonly IReadOnlyList<RedlockNode> _nodes;
    private readonly int _quorum;
    private readonly bool _waitForAll;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly long _sentAt;
    private readonly Func<TResult, NodeReply> _classify;

    // Which nodes' commands have come back, decided or not: every answer, even a late one, tells the node's health.
    private readonly bool[] _finished;

    // Completed outside the lock, so the waiting attempt may continue inline on the completing thread.
    private readonly TaskCompletionSource<NodeReply[]> _decided = new();
    private ITimer? _timer;
    private int _grantedCount;
    private int _answered;
    private int _finishedCount;
    private bool _isDecided;

    private QuorumRound(IReadOnlyList<RedlockNode> nodes, int quorum, bool waitForAll, TimeSpan timeout, TimeProvider timeProvider, Func<TResult, NodeReply> classify)
    {
        _nodes = nodes;
        _replies = new NodeReply?[nodes.Count];
        _finished = new bool[nodes.Count];
        _quorum = quorum;
        _waitForAll = waitForAll;
        _timeout = timeout;
        _timeProvider = timeProvider;
        _sentAt = timeProvider.GetTimestamp();
        _classify = classify;
    }

    /// <summary>Runs <paramref name="command"/> on every node and returns each node's reply, in node order.</summary>
    /// <param name="nodes">The nodes.</param>
    /// <param name="quorum">How many grants decide success.</param>
    /// <param name="waitForAll">Wait for every node (or the timeout) instead of stopping once the outcome is known.</param>
    /// <param name="timeout">How long to wait for the nodes.</param>
    /// <param name="timeProvider">The clock for the timeout.</param>
    /// <param name="command">Starts the command on one node.</param>
    /// <param name="classify">Reads a node's result as granted or refused.</param>
    /// <param name="state">Passed to <paramref name="command"/>, so callers need no closure.</param>
    public static Task<NodeReply[]> RunAsync<TState>(
        IReadOnlyList<RedlockNode> nodes,
        int quorum,
        bool waitForAll,
        TimeSpan timeout,
        TimeProvider timeProvider,
        Func<IDatabaseAsync, TState, Task<TResult>> command,
        Func<TResult, NodeReply> classify,
        TState state)
    {
        var round = new QuorumRound<TResult>(nodes, quorum, waitForAll, timeout, timeProvider, classify);
        for (var i = 0; i < nodes.Count; i++)
        {
            Task<TResult> task;
            try
            {
                task = nodes[i].RunAsync(command, state);
            }
            catch (Exception e)
            {
                round.OnFinished(i, NodeReply.FromException(e));
                continue;
            }

            if (task.IsCompleted)
            {
                round.OnCompleted(i, task);
            }
            else
            {
                // Unsafe: the answer's bookkeeping needs none of the caller's execution context, and not capturing it
                // saves a continuation task and its context on every node of every round.
                task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(new PendingAnswer(round, i, task).Arrived);
            }
        }

        round.StartTimer();
        return round._decided.Task;
    }

    /// <summary>One node's command still on its way: what to record when it comes back.</summary>
    private sealed class PendingAnswer(QuorumRound<TResult> round, int index, Task<TResult> task)
    {
        public void Arrived() => round.OnCompleted(index, task);
    }

    // Runs until every node has answered, even once the outcome is decided: a node that never answers is then known to be down.
    private void StartTimer()
    {
        lock (_replies)
        {
            if (_finishedCount == _finished.Length)
            {
                return;
            }

            _timer = _timeProvider.CreateTimer(static s => ((QuorumRound<TResult>)s!).OnTimeout(), this, _timeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnCompleted(int index, Task<TResult> task)
    {
        NodeReply reply;
        if (task.IsCompletedSuccessfully)
        {
            reply = _classify(task.Result);
        }
        else if (task.IsCanceled)
        {
            reply = new NodeReply(RedlockNodeState.Error, "the command was cancelled");
        }
        else
        {
            reply = NodeReply.FromException(task.Exception!);
        }

        OnFinished(index, reply);
    }

    private void OnFinished(int index, NodeReply reply)
    {
        var roundTrip = _timeProvider.GetElapsedTime(_sentAt);
        lock (_replies)
        {
            _finished[index] = true;
            _finishedCount++;
            if (_finishedCount == _finished.Length && _isDecided)
            {
                _timer?.Dispose();
            }
        }

        var health = _nodes[index].Health;
        if (reply.IsFailure)
        {
            health.Failed(_sentAt, NodeFailureText.Of(reply));
        }
        else if (roundTrip > _timeout)
        {
            health.Failed(_sentAt, NodeFailureText.TooSlow(roundTrip, _timeout), roundTrip);
        }
        else
        {
            health.Answered(_sentAt, roundTrip);
        }

        OnReply(index, reply);
    }

    private void OnReply(int index, NodeReply reply)
    {
        NodeReply[]? snapshot = null;
        lock (_replies)
        {
            if (_isDecided)
            {
                return;
            }

            _replies[index] = reply;
            _answered++;
            if (reply.IsGranted)
            {
                _grantedCount++;
            }

            if (IsDecided())
            {
                snapshot = Decide(NodeReply.NotAwaited);
            }
        }

        if (snapshot is not null)
        {
            _decided.TrySetResult(snapshot);
        }
    }

    private void OnTimeout()
    {
        NodeReply[]? snapshot = null;
        List<int> silent = [];
        lock (_replies)
        {
            for (var i = 0; i < _finished.Length; i++)
            {
                if (!_finished[i])
                {
                    silent.Add(i);
                }
            }

            if (!_isDecided)
            {
                snapshot = Decide(NodeReply.NoAnswer);
            }

            _timer?.Dispose();
        }

        foreach (var i in silent)
        {
            _nodes[i].Health.Failed(_sentAt, NodeFailureText.NoAnswer(_timeout));
        }

        if (snapshot is not null)
        {
            _decided.TrySetResult(snapshot);
        }
    }

    private bool IsDecided()
    {
        if (_answered == _replies.Length)
        {
            return true;
        }

        if (_waitForAll)
        {
            return false;
        }

        var unanswered = _replies.Length - _answered;
        return _grantedCount >= _quorum || _grantedCount + unanswered < _quorum;
    }

    // Called under the lock. Nodes that have not answered yet get the filler reply.
    private NodeReply[] Decide(NodeReply unanswered)
    {
        _isDecided = true;
        if (_finishedCount == _finished.Length)
        {
            _timer?.Dispose();
        }

        var snapshot = new NodeReply[_replies.Length];
        for (var i = 0; i < snapshot.Length; i++)
        {
            snapshot[i] = _replies[i] ?? unanswered;
        }

        return snapshot;
    }
}
