using RedlockAspects.Nodes;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Reads one lock key on every node at once (its value, its life and its holder description, in one read-only script per
/// node) and waits for every node, each up to the node timeout. A node that fails becomes a state in the result.
/// </summary>
internal static class LockInspection
{
    public static async Task<RedlockInspection> RunAsync(EngineContext context, string resource, CancellationToken cancellationToken)
    {
        var key = context.KeyFor(resource);
        RedisKey[] keys = [key, HolderKeys.For(key)];

        // A fresh engine's connections may still be opening; inspecting it must not report them as down.
        await context.Nodes.WarmAsync(TimeSpan.FromSeconds(1), context.TimeProvider, cancellationToken).ConfigureAwait(false);

        var reads = new Task<RedlockNodeInspection>[context.Nodes.Count];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = ReadAsync(context, context.Nodes[i], keys, cancellationToken);
        }

        var nodes = await Task.WhenAll(reads).ConfigureAwait(false);
        return new RedlockInspection(resource, (string)key!, context.Quorum, nodes);
    }

    private static async Task<RedlockNodeInspection> ReadAsync(EngineContext context, RedlockNode node, RedisKey[] keys, CancellationToken cancellationToken)
    {
        RedisResult result;
        try
        {
            result = await node.RunAsync(NodeCommands.Inspect, keys)
                .WaitAsync(context.NodeTimeout, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var reply = NodeReply.FromException(e);
            var state = reply.State switch
            {
                RedlockNodeState.TimedOut => RedlockInspectionState.TimedOut,
                RedlockNodeState.Unreachable => RedlockInspectionState.Unreachable,
                _ => RedlockInspectionState.Error,
            };
            return new RedlockNodeInspection(node.Name, state, Detail: reply.Detail ?? e.Message);
        }

        var parts = (RedisResult[])result!;
        var pttl = (long)parts[1];
        if (pttl == -2)
        {
            return new RedlockNodeInspection(node.Name, RedlockInspectionState.Free);
        }

        var token = (string?)parts[0] ?? string.Empty;
        return new RedlockNodeInspection(
            node.Name,
            RedlockInspectionState.Held,
            token,
            pttl >= 0 ? TimeSpan.FromMilliseconds(pttl) : null,
            HolderDescription.Parse((string?)parts[2], token));
    }
}
