using System.Diagnostics;
using System.Globalization;
using RedlockAspects.IntegrationTests.Harness.OperationPlan;

namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>
/// One simulated process: its own engine, its own seeded plan. Runs sessions (acquire, steps, end) until the run's
/// operation count is reached or it is told to stop, and reports each lease to the monitor.
/// </summary>
internal sealed class HarnessWorker(int id, RedlockEngine engine, RandomOps plan, IReadOnlyList<string> resources,
    BeliefMonitor monitor, ExceptionAudit audit, OperationCounters counters, long operationTarget, bool shorteningAllowed)
{
    private readonly List<LeaseRecord> _abandoned = [];
    private int _invalidCalls;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && Interlocked.Read(ref counters.Operations) < operationTarget)
        {
            await RunSessionAsync(plan.Next());
        }
    }

    /// <summary>Releases the leases this worker left to expire.</summary>
    public async Task DisposeAbandonedAsync()
    {
        foreach (var record in _abandoned)
        {
            record.ReleaseCalling();
            await record.Lease.DisposeAsync();
            monitor.Forget(record);
        }

        _abandoned.Clear();
    }

    private static string Ms(TimeSpan? span) => span is { } s ? s.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "(default)";

    private static string Validity(RedlockLease lease) => Ms(lease.RemainingValidity);

    private void Count() => Interlocked.Increment(ref counters.Operations);

    private async Task RunSessionAsync(SessionPlan session)
    {
        var context = $"worker {id}, {session}";
        if (session.Kind == AcquireKind.Invalid)
        {
            await InvalidAcquireAsync(session, context);
            return;
        }

        var names = session.Resources.Select(i => resources[i]).ToArray();
        var options = new RedlockAcquireOptions
        {
            MaxWait = session.MaxWait,
            RetryCount = -1,
            AutoExtend = session.AutoExtend,
            ExtendInterval = session.ExtendInterval,
            MaxHold = session.MaxHold,
            MinHold = session.MinHold,
            Fair = session.Kind is AcquireKind.FairAcquire or AcquireKind.FairTryAcquire,
        };
        using var cancel = new CancellationTokenSource();
        if (session.CancelAfter is { } after)
        {
            cancel.CancelAfter(after);
        }

        RedlockLease? lease;
        Count();
        try
        {
            lease = session.Kind switch
            {
                AcquireKind.Acquire or AcquireKind.FairAcquire => await engine.AcquireAsync(names[0], session.Ttl, options, cancel.Token),
                AcquireKind.TryAcquire or AcquireKind.FairTryAcquire => await engine.TryAcquireAsync(names[0], session.Ttl, options, cancel.Token),
                AcquireKind.AcquireMany => await engine.AcquireAsync(names, session.Ttl, options, cancel.Token),
                _ => await engine.TryAcquireAsync(names, session.Ttl, options, cancel.Token),
            };
        }
        catch (Exception e)
        {
            if (e is RedlockBusyException)
            {
                Interlocked.Increment(ref counters.Busy);
            }
            else if (e is RedlockNoQuorumException)
            {
                Interlocked.Increment(ref counters.NoQuorum);
            }
            else if (e is OperationCanceledException)
            {
                Interlocked.Increment(ref counters.Cancelled);
            }

            audit.Judge(CallKind.Acquire, e, cancel.IsCancellationRequested, context);
            return;
        }

        if (lease is null)
        {
            Interlocked.Increment(ref counters.Busy);
            return;
        }

        var record = monitor.Register(id, lease, Stopwatch.GetTimestamp());
        record.Note($"acquired ({session}), valid {Validity(lease)}");
        Interlocked.Increment(ref counters.Acquired);
        if (options.Fair)
        {
            Interlocked.Increment(ref counters.FairAcquired);
        }
        context = $"worker {id}, {record}, {session}";
        var lost = lease.LostToken;
        lost.Register(() =>
        {
            record.LossObserved();
            record.Note("LostToken fired");
            Interlocked.Increment(ref counters.LostObserved);
        });
        if (session.ThrowingCallback)
        {
            lost.Register(() =>
            {
                Interlocked.Increment(ref counters.CallbacksThrown);
                throw new HarnessCallbackException(record.ToString());
            });
        }

        foreach (var step in session.Steps)
        {
            await RunStepAsync(record, step, context);
            record.Observe();
        }

        await EndAsync(record, session.End, context);
    }

    private async Task RunStepAsync(LeaseRecord record, PlannedStep step, string context)
    {
        if (step.Kind == StepKind.Hold)
        {
            record.Note($"hold {Ms(step.Value)}");
            await Task.Delay(step.Value);
            return;
        }

        if (step.Kind == StepKind.Nested)
        {
            await NestedAcquireAsync(record, context);
            return;
        }

        var call = step.Kind switch
        {
            StepKind.ExtendInvalid => CallKind.InvalidExtend,
            StepKind.ExtendSubMillisecond => CallKind.SubMillisecondExtend,
            _ => CallKind.Extend,
        };
        TimeSpan? ttl = step.Kind == StepKind.ExtendDefault ? null : step.Value;
        if (!shorteningAllowed && call != CallKind.InvalidExtend && ttl < record.Lease.Ttl)
        {
            ttl = record.Lease.Ttl;
        }

        if (call != CallKind.InvalidExtend && ttl < record.Lease.Ttl)
        {
            Interlocked.Increment(ref counters.ShorterExtensions);
        }

        Count();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await record.Lease.ExtendAsync(ttl);
            record.Note($"{step.Kind} {Ms(ttl)} ok, valid {Validity(record.Lease)}");
            Interlocked.Increment(ref counters.Extended);
            if (call == CallKind.InvalidExtend)
            {
                audit.DidNotThrow(call, $"{context}, ttl {ttl}");
            }
        }
        catch (Exception e)
        {
            record.Note($"{step.Kind} {Ms(ttl)} threw {e.GetType().Name}, valid {Validity(record.Lease)}");
            Interlocked.Increment(ref counters.ExtendFailed);
            audit.Judge(call, e, ownCancellation: false, $"{context}, ttl {ttl}");
        }
        finally
        {
            if (ttl is not null)
            {
                record.ExplicitExtension(started, Stopwatch.GetTimestamp());
            }
        }
    }

    private async Task NestedAcquireAsync(LeaseRecord record, string context)
    {
        var outer = record.Lease;
        var names = outer.Resources;
        var once = new RedlockAcquireOptions { MaxWait = TimeSpan.Zero };
        Count();
        RedlockLease? nested;
        try
        {
            nested = names.Count == 1
                ? await engine.TryAcquireAsync(names[0], outer.Ttl, once)
                : await engine.TryAcquireAsync(names, outer.Ttl, once);
        }
        catch (Exception e)
        {
            record.Note($"nested acquire threw {e.GetType().Name}");
            audit.Judge(CallKind.Acquire, e, ownCancellation: false, $"{context}, nested");
            return;
        }

        if (nested is null)
        {
            record.Note("nested acquire: busy (the outer lease no longer holds)");
            return;
        }

        if (ReferenceEquals(nested, outer))
        {
            Interlocked.Increment(ref counters.NestedShared);
            record.Note($"nested acquire shared the lease ({outer.HoldCount} holds); nested release");
            await nested.DisposeAsync();
            if (outer.IsReleased)
            {
                monitor.NestedReleaseFreedTheLock(record, context);
            }

            return;
        }

        // A lease of its own: right only once the outer one stopped holding, and the monitor checks that they never
        // both believe.
        Interlocked.Increment(ref counters.NestedFromRedis);
        var second = monitor.Register(id, nested, Stopwatch.GetTimestamp());
        second.Note($"nested acquire of {record} went to Redis");
        second.ReleaseCalling();
        await nested.DisposeAsync();
        monitor.Forget(second);
    }

    private async Task EndAsync(LeaseRecord record, EndKind end, string context)
    {
        if (end == EndKind.Abandon)
        {
            record.Note("abandoned");
            Interlocked.Increment(ref counters.Abandoned);
            _abandoned.Add(record);
            return;
        }

        record.ReleaseCalling();
        record.Note(end.ToString());
        Count();
        try
        {
            if (end == EndKind.Dispose)
            {
                await record.Lease.DisposeAsync();
            }
            else
            {
                await record.Lease.ReleaseAsync();
            }

            Interlocked.Increment(ref counters.Released);
        }
        catch (Exception e)
        {
            audit.Judge(CallKind.Release, e, ownCancellation: false, context);
        }

        monitor.Forget(record);
        if (end == EndKind.ReleaseThenExtend)
        {
            Count();
            try
            {
                await record.Lease.ExtendAsync();
                audit.DidNotThrow(CallKind.ExtendAfterRelease, context);
            }
            catch (Exception e)
            {
                audit.Judge(CallKind.ExtendAfterRelease, e, ownCancellation: false, context);
            }
        }
    }

    private async Task InvalidAcquireAsync(SessionPlan session, string context)
    {
        // Its own resource, so that an engine that wrongly accepts the call blocks nobody else's keys.
        var spare = $"{resources[0]}:invalid:{id}:{++_invalidCalls}";
        var variant = (int)session.Ttl.TotalMilliseconds % 5;
        context += $", invalid variant {variant}";
        Count();
        try
        {
            var lease = variant switch
            {
                0 => await engine.AcquireAsync(spare, -session.Ttl),
                1 => await engine.AcquireAsync([], session.Ttl),
                2 => await engine.AcquireAsync([spare, spare], session.Ttl),
                3 => await engine.AcquireAsync(spare, TimeSpan.FromDays(30)),

                // A minimum hold beyond any sensible bound (and beyond what Redis and the clock arithmetic can take).
                _ => await engine.AcquireAsync(spare, session.Ttl, new RedlockAcquireOptions { MinHold = TimeSpan.FromDays(365 * 1000) }),
            };
            audit.DidNotThrow(CallKind.InvalidAcquire, context);
            await lease.DisposeAsync();
        }
        catch (Exception e)
        {
            audit.Judge(CallKind.InvalidAcquire, e, ownCancellation: false, context);
        }
    }
}
