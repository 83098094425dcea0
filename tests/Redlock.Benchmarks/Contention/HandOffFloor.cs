using System.Collections.Concurrent;
using StackExchange.Redis;

namespace RedlockAspects.Benchmarks.Contention;

/// <summary>
/// Not a lock to use: the least a hand-over between processes can cost through StackExchange.Redis. One token lives
/// in a list on one node; a worker takes it with a blocking <c>BLPOP</c> (which the server serves in arrival order)
/// and puts it back to release. A hand-over is then one message from the releaser through the server to the waiter,
/// with no quorum, no script and no second round trip, so no cross-process lock can hand over faster on this machine.
/// </summary>
internal sealed class HandOffFloor(string node, string key) : LockLibrary
{
    private readonly string _key = key;

    // BLPOP blocks its connection, so each waiting worker needs one of its own.
    private readonly ConcurrentBag<ConnectionMultiplexer> _idle = [];
    private readonly ConcurrentBag<ConnectionMultiplexer> _all = [];

    public static async Task<LockLibrary> OpenAsync(string node, string key)
    {
        await using var setup = await ConnectionMultiplexer.ConnectAsync(node);
        var db = setup.GetDatabase();
        if (await db.StringSetAsync(key + ":floor-init", 1, when: When.NotExists))
        {
            await db.ListRightPushAsync(key + ":floor", "token");
        }

        return new HandOffFloor(node, key + ":floor");
    }

    public override async Task<IAsyncDisposable?> AcquireAsync()
    {
        if (!_idle.TryTake(out var connection))
        {
            connection = await ConnectionMultiplexer.ConnectAsync(node + ",asyncTimeout=60000,syncTimeout=60000");
            _all.Add(connection);
        }

        var db = connection.GetDatabase();
        var popped = await db.ExecuteAsync("BLPOP", _key, (int)MaxWait.TotalSeconds);
        if (popped.IsNull)
        {
            _idle.Add(connection);
            return null;
        }

        return new Token(this, connection);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var connection in _all)
        {
            await connection.DisposeAsync();
        }
    }

    private sealed class Token(HandOffFloor owner, ConnectionMultiplexer connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            // Fire and forget, as a release that need not wait for its reply: the next holder is not waiting on ours.
            connection.GetDatabase().ListRightPush(owner._key, "token", flags: CommandFlags.FireAndForget);
            owner._idle.Add(connection);
            return ValueTask.CompletedTask;
        }
    }
}
