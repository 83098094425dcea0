using RedlockAspects.Algorithm;

namespace RedlockAspects;

/// <summary>
/// The leases each async flow holds, per engine: what makes a nested acquire of a held resource reentrant, and what
/// lets a busy error say who really holds the lock.
/// </summary>
/// <remarks>
/// The map is immutable and replaced on every change, so a child flow (a <c>Task.Run</c>, an un-awaited call) keeps the
/// snapshot it started with and its own acquisitions never reach the parent. Entries are added from the engine's
/// synchronous entry points: a change made in a synchronous method stays in the caller's flow, whereas one made inside
/// an <c>async</c> method is undone when it returns. The entry is a slot the acquisition fills in when it completes.
/// Ownership lasts only while the lease lives: a released or lost lease is never handed out again.
/// </remarks>
internal static class FlowLeases
{
    private static readonly AsyncLocal<Entry[]?> Current = new();

    /// <summary>This flow's entries right now (a snapshot; never changed in place).</summary>
    public static Entry[] Snapshot() => Current.Value ?? [];

    /// <summary>Looks for <paramref name="resources"/> among the live leases this flow holds on <paramref name="context"/>'s engine.</summary>
    /// <returns>
    /// The live lease that covers every requested resource (if any), and the requested resources this flow holds at all.
    /// </returns>
    public static (RedlockLease? Covering, string[] Held) Find(Entry[] entries, EngineContext context, IReadOnlyList<string> resources)
    {
        RedlockLease? covering = null;
        List<string>? held = null;
        foreach (var entry in entries)
        {
            if (!ReferenceEquals(entry.Context, context) || entry.Slot.LiveLease is not { } lease)
            {
                continue;
            }

            var covered = 0;
            foreach (var resource in resources)
            {
                if (Contains(lease.Resources, resource))
                {
                    covered++;
                    held ??= [];
                    if (!held.Contains(resource, StringComparer.Ordinal))
                    {
                        held.Add(resource);
                    }
                }
            }

            if (covered == resources.Count)
            {
                covering ??= lease;
            }
        }

        return (covering, held?.ToArray() ?? []);
    }

    /// <summary>Every resource this flow holds through a live lease on <paramref name="context"/>'s engine, in acquisition order.</summary>
    public static string[] AllHeld(Entry[] entries, EngineContext context)
    {
        var held = new List<string>();
        foreach (var entry in entries)
        {
            if (ReferenceEquals(entry.Context, context) && entry.Slot.LiveLease is { } lease)
            {
                foreach (var resource in lease.Resources)
                {
                    if (!held.Contains(resource, StringComparer.Ordinal))
                    {
                        held.Add(resource);
                    }
                }
            }
        }

        return [.. held];
    }

    /// <summary>
    /// Records a pending acquisition in the caller's flow. Must be called from a synchronous method (see the remarks).
    /// Drops entries that can no longer be handed out, so a flow that takes many locks in turn does not grow the map.
    /// </summary>
    public static Slot Begin(Entry[] entries, EngineContext context)
    {
        var slot = new Slot();
        var kept = new List<Entry>(entries.Length + 1);
        foreach (var entry in entries)
        {
            if (!entry.Slot.IsSpent)
            {
                kept.Add(entry);
            }
        }

        kept.Add(new Entry(context, slot));
        Current.Value = [.. kept];
        return slot;
    }

    /// <summary>Completes a pending acquisition: fills the slot with the lease, and names this flow's own locks in a busy error.</summary>
    public static async Task<RedlockLease?> CompleteAsync(Slot slot, Task<RedlockLease?> acquisition, Entry[] before, EngineContext context, IReadOnlyList<string> resources)
    {
        try
        {
            var lease = await acquisition.ConfigureAwait(false);
            slot.Complete(lease);
            return lease;
        }
        catch (RedlockBusyException busy) when (AllHeld(before, context) is { Length: > 0 } held)
        {
            slot.Complete(null);

            // The plain message would blame "another owner": say what this flow itself holds.
            throw new RedlockBusyException(resources, busy.Attempts, busy.Waited, held, busy);
        }
        catch
        {
            slot.Complete(null);
            throw;
        }
    }

    private static bool Contains(IReadOnlyList<string> resources, string resource)
    {
        foreach (var r in resources)
        {
            if (string.Equals(r, resource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One acquisition made by this flow (or a parent flow) on one engine.</summary>
    internal sealed record Entry(EngineContext Context, Slot Slot);

    /// <summary>Filled in when the acquisition completes; shared by the flow that made it and every child flow.</summary>
    internal sealed class Slot
    {
        private RedlockLease? _lease;
        private int _state; // 0 pending, 1 done

        /// <summary>The lease while it can be shared: acquired, not released, not lost.</summary>
        public RedlockLease? LiveLease => Volatile.Read(ref _lease) is { IsReleased: false, IsLost: false } lease ? lease : null;

        /// <summary>True once the slot can never again yield a live lease.</summary>
        public bool IsSpent => Volatile.Read(ref _state) == 1 && LiveLease is null;

        public void Complete(RedlockLease? lease)
        {
            Volatile.Write(ref _lease, lease);
            Volatile.Write(ref _state, 1);
        }
    }
}
