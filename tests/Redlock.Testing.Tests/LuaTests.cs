using RedlockAspects.Testing;
using StackExchange.Redis;

namespace RedlockAspects.Testing.Tests;

public sealed class LuaTests
{
    private const string CompareAndDelete =
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    // Read, then write what was read plus one: only atomic if the server runs the whole script without interleaving.
    private const string ReadModifyWrite =
        "local v = tonumber(redis.call('get', KEYS[1]) or '0') redis.call('set', KEYS[1], v + 1) return v + 1";

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_compare_and_delete_script_deletes_only_for_the_owning_token(RedisBackend backend)
    {
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1);
        await using var client = await TestClients.ConnectAsync(nodes.ConnectionStrings[0]);
        var db = client.GetDatabase();
        await db.StringSetAsync("lock", "token-a", TimeSpan.FromSeconds(30));

        var wrong = (long)await db.ScriptEvaluateAsync(CompareAndDelete, ["lock"], ["token-b"]);
        Assert.Equal(0, wrong);
        Assert.Equal("token-a", (string?)await db.StringGetAsync("lock"));

        var right = (long)await db.ScriptEvaluateAsync(CompareAndDelete, ["lock"], ["token-a"]);
        Assert.Equal(1, right);
        Assert.False(await db.KeyExistsAsync("lock"));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Concurrent_scripts_from_many_clients_do_not_interleave(RedisBackend backend)
    {
        const int Clients = 8;
        const int PerClient = 150;
        await using var nodes = await RedisTestNodes.StartAsync(backend, 1);
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => TestClients.ConnectAsync(nodes.ConnectionStrings[0])));
        try
        {
            var results = await Task.WhenAll(clients.Select(async c =>
            {
                var db = c.GetDatabase();
                var seen = new List<long>();
                for (var i = 0; i < PerClient; i++)
                {
                    seen.Add((long)await db.ScriptEvaluateAsync(ReadModifyWrite, ["counter"]));
                }

                return seen;
            }));

            // No lost update, and every script saw a distinct value: each ran alone.
            Assert.Equal(Clients * PerClient, (long)await clients[0].GetDatabase().StringGetAsync("counter"));
            Assert.Equal(Clients * PerClient, results.SelectMany(r => r).Distinct().Count());
        }
        finally
        {
            foreach (var c in clients)
            {
                await c.DisposeAsync();
            }
        }
    }
}
