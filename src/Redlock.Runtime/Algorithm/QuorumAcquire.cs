using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Acquire: <c>SET NX PX</c> to every node at once (one script per node for several resources). An attempt
/// succeeds when a quorum grants it and the grant, believed until start + ttl − drift, still has at least the
/// minimum validity left; it stops waiting as soon as a quorum is impossible; and a failed attempt is undone on every node.
/// </summary>
internal static class QuorumAcquire
{
    public static async Task<RedlockLease?> RunAsync(
        EngineContext context,
        IReadOnlyList<string> resources,
        TimeSpan ttl,
        RedlockAcquireOptions options,
        bool throwWhenBusy,
        CancellationToken cancellationToken)
    {
        var keys = new RedisKey[resources.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = context.KeyFor(resources[i]);
        }

        var token = LockToken.New();
        var tokenValue = (RedisValue)token;

        // With a minimum hold longer than the TTL, the key is set for the minimum hold from the start, so a
        // holder that crashes still blocks a second run of the same occurrence.
        var expiry = options.MinHold is { } minHold && minHold > ttl ? minHold : ttl;
        var request = new LockRequest(keys, tokenValue, expiry);
        var fenced = options.Fencing ? FencedRequestFor(keys, tokenValue, expiry) : default;
        if (options.Fencing)
        {
            context.FenceRepair.EnsureStarted();
        }
        var retry = new RetryPolicy(context, options);
        var fair = options.Fair ? new FairQueue(keys[0], retry.LongestPause, context.NodeTimeout, context.Wakes.ListenForTurns()) : null;
        var timeProvider = context.TimeProvider;
        var firstAttempt = timeProvider.GetTimestamp();
        var attempts = 0;
        AttemptFailure? lastFailure = null;

        using var activity = RedlockTelemetry.StartSpan("redlock.acquire", resources);
        if (options.Fencing)
        {
            activity?.SetTag("redlock.fencing", true);
        }

        LocalWaitLine.Ticket? ticket = null;

        // While waiting, releases in other processes wake us through the nodes' pub/sub (polling stays as the fallback).
        IDisposable? wakes = null;
        IDisposable? wakeRegistration = null;
        try
        {
            // A fresh engine's connections may still be opening: its first attempt waits for them (briefly), not its timeouts.
            await context.Nodes.WarmAsync(WarmUpBound(context), timeProvider, cancellationToken).ConfigureAwait(false);

            // Keys a cluster node could not take in one script are refused before anything is sent.
            await ClusterSlots.EnsureOneSlotAsync(context.Nodes, resources, keys, options.Fencing, context.Holder is not null, WarmUpBound(context), timeProvider, cancellationToken).ConfigureAwait(false);

            // Callers in this process who are already waiting go first: join the back of their lines.
            ticket = retry.AllowsRetry && context.WaitLine.HasWaiters(keys) ? context.WaitLine.Join(keys) : null;
            wakes = ticket is null ? null : context.Wakes.Subscribe(keys);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (fair is not null && ClaimHandOver(context, resources, keys, token, ttl, expiry, options, fair, firstAttempt, attempts, activity) is { } handedOver)
                {
                    return handedOver;
                }

                var signalsBefore = context.WaitLine.SignalsFor(keys);
                var ticketBefore = fair?.Ticket ?? 0;
                // Fair waiters are ordered by the nodes' queue, not by this process's line: they try whenever woken.
                if (ticket is null || fair is not null || ticket.IsFreeToTry)
                {
                    attempts++;
                    var started = timeProvider.GetTimestamp();
                    NodeReply[] replies;
                    long? fence = null;
                    if (context.Holder is { } holder)
                    {
                        // Opt-in (RedlockOptions.HolderName): the description goes in the same script as the lock keys.
                        var described = new DescribedRequest(
                            DescribedKeys(keys, options.Fencing ? fenced.Keys : null), tokenValue, expiry,
                            holder.For(token, timeProvider.GetUtcNow()), options.Fencing);
                        (replies, fence) = await DescribedAttemptAsync(context, described, keys.Length).ConfigureAwait(false);
                    }
                    else if (options.Fencing)
                    {
                        (replies, fence) = await FencedAttemptAsync(context, fenced).ConfigureAwait(false);
                    }
                    else if (fair is not null)
                    {
                        // A queued waiter hears every node's answer: a node it did not hear from is undone, and a hand-over
                        // from that node then no longer counts (FairQueue.AttemptFailed).
                        replies = await QuorumRound<RedisResult>.RunAsync(
                            context.Nodes, context.Quorum, waitForAll: fair.Ticket > 0, context.NodeTimeout, timeProvider,
                            NodeCommands.FairAcquire, NodeCommands.FairReply, fair.AttemptRequest(tokenValue, expiry, started)).ConfigureAwait(false);
                    }
                    else
                    {
                        replies = keys.Length == 1
                            ? await QuorumRound<bool>.RunAsync(
                                context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, timeProvider,
                                NodeCommands.SetIfAbsent, NodeCommands.SetReply, request).ConfigureAwait(false)
                            : await QuorumRound<RedisResult>.RunAsync(
                                context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, timeProvider,
                                NodeCommands.SetAllIfAbsent, NodeCommands.SetAllReply, request).ConfigureAwait(false);
                    }

                    var believedFrom = context.Mutation == SafetyMutation.ValidityFromAttemptEnd ? timeProvider.GetTimestamp() : started;
                    var validUntil = Validity.Deadline(context, believedFrom, expiry);
                    lastFailure = Judge(context, replies, validUntil);
                    if (lastFailure is null && options.Fencing && fence is null)
                    {
                        lastFailure = new AttemptFailure(AttemptFailureKind.NoQuorum, replies,
                            "a quorum granted it, but the fencing token could not be recorded on a quorum of nodes");
                    }

                    if (lastFailure is null)
                    {
                        fair?.Won(replies);
                        RedlockTelemetry.RecordAcquisition("acquired", timeProvider.GetElapsedTime(firstAttempt), attempts, failed: false, activity);
                        return new RedlockLease(context, resources, keys, token, ttl, expiry, options, started, validUntil, fence, fair is not null);
                    }

                    if (fair is not null)
                    {
                        QuorumRelease.UndoFairInBackground(context, fair.Request(tokenValue, TimeSpan.Zero), replies);
                    }
                    else
                    {
                        QuorumRelease.DeleteInBackground(context, keys, tokenValue, replies);
                    }

                    fair?.AttemptFailed(replies, context.Quorum);
                    fair?.TakeTicketFrom(replies, context.Quorum);
                    ticket?.SetBusyKeys(BusyKeys(keys, lastFailure.Value));
                }

                // Otherwise someone ahead of us in this process contends for one of our keys: busy, as far as we can tell.
                var waited = timeProvider.GetElapsedTime(firstAttempt);
                var queuedOut = ticket is not null && !ticket.IsFreeToTry && retry.QueuedTooLong(waited);
                if (queuedOut || retry.NextDelay(attempts, waited) is not { } delay)
                {
                    var failure = lastFailure ?? LocallyBusy;
                    var busy = failure.Kind == AttemptFailureKind.Busy;
                    RedlockTelemetry.RecordAcquisition(busy ? "busy" : "no_quorum", waited, attempts, failed: !busy || throwWhenBusy, activity);
                    return Fail(context, resources, failure, attempts, waited, throwWhenBusy);
                }

                RedlockLog.Retrying(context.Logger, resources[0], attempts, (lastFailure ?? LocallyBusy).Kind, delay.TotalMilliseconds);
                if (ticket is null)
                {
                    ticket = context.WaitLine.Join(keys);
                    wakes = context.Wakes.Subscribe(keys);
                    if (lastFailure is { } failure)
                    {
                        ticket.SetBusyKeys(BusyKeys(keys, failure));
                    }
                }

                if (fair is not null && lastFailure is { Kind: AttemptFailureKind.Busy } && ticketBefore == 0)
                {
                    // Busy: join the queue across processes, with the ticket the refusals gave us or else one of our own.
                    // The next attempt records the ticket, so it follows at once.
                    if (fair.Ticket == 0)
                    {
                        await fair.TakeTicketAsync(context).ConfigureAwait(false);
                    }

                    if (fair.Ticket > 0)
                    {
                        wakeRegistration ??= context.Wakes.Register(fair.Waiter, ticket, fair);
                        continue;
                    }
                }

                // A fair waiter in the nodes' queue is woken by name, and a wake-up during its attempt is kept for it.
                if (fair is not { Ticket: > 0 } && context.WaitLine.SignalsFor(keys) != signalsBefore)
                {
                    // A release was announced during the attempt: it may be the one we need, and nobody could wake us then.
                    continue;
                }

                await ticket.WaitAsync(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RedlockTelemetry.RecordAcquisition("cancelled", timeProvider.GetElapsedTime(firstAttempt), attempts, failed: true, activity);
            throw;
        }
        finally
        {
            fair?.LeaveInBackground(context, tokenValue);
            wakeRegistration?.Dispose();
            ticket?.Dispose();
            wakes?.Dispose();
        }
    }

    /// <summary>
    /// The lease a quorum of nodes handed us on a release (docs/fairness.md), when they have and it still has the
    /// minimum validity: believed from the send time of the earliest attempt they quote, for the life they set. That life
    /// is at most an entry's (so that a waiter that died at the head blocks the line no longer than its entry would); a
    /// longer expiry is asked for at once, in the background, as an extension. <c>null</c> otherwise: the next attempt
    /// then takes the keys already handed to us as grants and counts from its own start.
    /// </summary>
    private static RedlockLease? ClaimHandOver(
        EngineContext context, IReadOnlyList<string> resources, RedisKey[] keys, string token, TimeSpan ttl, TimeSpan expiry,
        RedlockAcquireOptions options, FairQueue fair, long firstAttempt, int attempts, System.Diagnostics.Activity? activity)
    {
        if (!fair.TryClaim(out var believedFrom, out var life))
        {
            return null;
        }

        var validUntil = Validity.Deadline(context, believedFrom, life);
        var left = context.ToTimeSpan(validUntil - context.TimeProvider.GetTimestamp());
        if (left < context.MinValidity || left <= TimeSpan.Zero)
        {
            return null;
        }

        fair.Won(null);
        RedlockTelemetry.RecordAcquisition("acquired", context.TimeProvider.GetElapsedTime(firstAttempt), attempts, failed: false, activity);
        var lease = new RedlockLease(context, resources, keys, token, ttl, expiry, options, believedFrom, validUntil, null, fair: true);
        if (life < expiry)
        {
            lease.ExtendInBackground();
        }

        return lease;
    }

    /// <summary>How long a first acquisition waits for connections still opening: a second, or the node timeout if longer.</summary>
    private static TimeSpan WarmUpBound(EngineContext context) =>
        context.NodeTimeout > TimeSpan.FromSeconds(1) ? context.NodeTimeout : TimeSpan.FromSeconds(1);

    /// <summary>The described script's keys: the lock keys, then (fenced) their counters, then their holder keys.</summary>
    private static RedisKey[] DescribedKeys(RedisKey[] keys, RedisKey[]? withCounters)
    {
        var lead = withCounters ?? keys;
        var all = new RedisKey[lead.Length + keys.Length];
        lead.CopyTo(all, 0);
        for (var i = 0; i < keys.Length; i++)
        {
            all[lead.Length + i] = HolderKeys.For(keys[i]);
        }

        return all;
    }

    /// <summary>An attempt that also writes the holder description; fenced as <see cref="FencedAttemptAsync"/> when the request says so.</summary>
    private static async Task<(NodeReply[] Replies, long? Fence)> DescribedAttemptAsync(EngineContext context, DescribedRequest request, int resourceCount)
    {
        if (!request.Fenced)
        {
            var plain = await QuorumRound<RedisResult>.RunAsync(
                context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, context.TimeProvider,
                NodeCommands.SetAllIfAbsentDescribed, NodeCommands.SetAllReply, request).ConfigureAwait(false);
            return (plain, null);
        }

        var replies = await QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: true, context.NodeTimeout, context.TimeProvider,
            NodeCommands.SetAllIfAbsentDescribed, NodeCommands.SetAllFencedReply, request).ConfigureAwait(false);
        var counters = request.Keys[resourceCount..(2 * resourceCount)];
        return (replies, await RaiseFenceAsync(context, replies, counters, request.Token).ConfigureAwait(false));
    }

    private static FencedRequest FencedRequestFor(RedisKey[] keys, RedisValue token, TimeSpan expiry)
    {
        var withCounters = new RedisKey[keys.Length * 2];
        for (var i = 0; i < keys.Length; i++)
        {
            withCounters[i] = keys[i];
            withCounters[keys.Length + i] = FenceKeys.For(keys[i]);
        }

        return new FencedRequest(withCounters, token, expiry, 0);
    }

    /// <summary>
    /// A fenced attempt: the grant reads every node's counters (waiting for every node that answers within the node
    /// timeout, not just a quorum); the token is one more than the highest counter seen; and it is written to a quorum
    /// before the lease is returned. Any later fenced grant reads a quorum that shares a node with this write quorum,
    /// so it sees this token or a higher one (docs/fencing.md has the argument and its limits).
    /// </summary>
    /// <returns>The grant's replies, and the token once a quorum recorded it (<c>null</c> when it was not granted or not recorded).</returns>
    private static async Task<(NodeReply[] Replies, long? Fence)> FencedAttemptAsync(EngineContext context, FencedRequest request)
    {
        var replies = await QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: true, context.NodeTimeout, context.TimeProvider,
            NodeCommands.SetAllIfAbsentFenced, NodeCommands.SetAllFencedReply, request).ConfigureAwait(false);
        var counters = request.Keys[(request.Keys.Length / 2)..];
        return (replies, await RaiseFenceAsync(context, replies, counters, request.Token).ConfigureAwait(false));
    }

    /// <summary>After a fenced grant: the token is one more than the highest counter seen, written to a quorum; <c>null</c> when not granted or not recorded.</summary>
    private static async Task<long?> RaiseFenceAsync(EngineContext context, NodeReply[] replies, RedisKey[] counters, RedisValue token)
    {
        var granted = 0;
        var highest = 0L;
        foreach (var reply in replies)
        {
            granted += reply.IsGranted ? 1 : 0;
            highest = Math.Max(highest, reply.Fence);
        }

        if (granted < context.Quorum)
        {
            return null;
        }

        var fence = highest + 1;
        var raised = await QuorumRound<RedisResult>.RunAsync(
            context.Nodes, context.Quorum, waitForAll: false, context.NodeTimeout, context.TimeProvider,
            NodeCommands.RaiseFence, NodeCommands.PositiveReply, new FencedRequest(counters, token, TimeSpan.Zero, fence)).ConfigureAwait(false);

        return raised.Count(r => r.IsGranted) >= context.Quorum ? fence : null;
    }

    private static readonly AttemptFailure LocallyBusy = new(AttemptFailureKind.Busy, [], null);

    private static AttemptFailure? Judge(EngineContext context, NodeReply[] replies, long validUntil)
    {
        var granted = 0;
        var failed = 0;
        foreach (var reply in replies)
        {
            granted += reply.IsGranted ? 1 : 0;
            failed += reply.IsFailure ? 1 : 0;
        }

        if (granted >= context.Quorum)
        {
            var left = context.ToTimeSpan(validUntil - context.TimeProvider.GetTimestamp());
            if (left >= context.MinValidity && left > TimeSpan.Zero)
            {
                return null;
            }

            return new AttemptFailure(AttemptFailureKind.Expired, replies,
                $"a quorum granted it, but only {left.TotalMilliseconds:0.##} ms of validity was left (minimum {context.MinValidity.TotalMilliseconds:0.##} ms): the nodes answered too slowly");
        }

        // Busy only while the failing nodes alone cannot explain the missing quorum.
        return failed > context.Nodes.Count - context.Quorum
            ? new AttemptFailure(AttemptFailureKind.NoQuorum, replies, null)
            : new AttemptFailure(AttemptFailureKind.Busy, replies, null);
    }

    /// <summary>The keys that refusing nodes named as held by someone else; <c>null</c> when the attempt failed for another reason or a node did not say.</summary>
    private static HashSet<RedisKey>? BusyKeys(RedisKey[] keys, AttemptFailure failure)
    {
        if (failure.Kind != AttemptFailureKind.Busy)
        {
            return null;
        }

        var busy = new HashSet<RedisKey>();
        foreach (var reply in failure.Replies)
        {
            if (reply.IsRefused)
            {
                if (reply.BusyKey < 0 || reply.BusyKey >= keys.Length)
                {
                    return null;
                }

                busy.Add(keys[reply.BusyKey]);
            }
        }

        return busy.Count > 0 ? busy : null;
    }

    private static RedlockLease? Fail(EngineContext context, IReadOnlyList<string> resources, AttemptFailure failure, int attempts, TimeSpan waited, bool throwWhenBusy)
    {
        if (failure.Kind == AttemptFailureKind.Busy)
        {
            if (throwWhenBusy)
            {
                throw new RedlockBusyException(resources, attempts, waited);
            }

            RedlockLog.Busy(context.Logger, resources[0], attempts, waited.TotalMilliseconds);
            return null;
        }

        RedlockLog.NoQuorum(context.Logger, resources[0], attempts, context.Nodes.Describe(failure.Replies));
        throw new RedlockNoQuorumException(resources, context.Quorum, context.Report(failure.Replies), attempts, failure.Reason);
    }

    private enum AttemptFailureKind
    {
        Busy,
        NoQuorum,
        Expired,
    }

    private readonly record struct AttemptFailure(AttemptFailureKind Kind, NodeReply[] Replies, string? Reason);
}
