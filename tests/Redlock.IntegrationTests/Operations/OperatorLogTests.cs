using Microsoft.Extensions.Logging;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Operations;

/// <summary>What an operator reads in the logs, on real nodes that are killed and restarted.</summary>
public class OperatorLogTests
{
    // The generated messages' event ids (Algorithm/RedlockLog.cs).
    private const int Lost = 3;
    private const int ExtendUnconfirmed = 4;
    private const int Started = 10;
    private const int NodeDown = 11;
    private const int NodeBack = 12;
    private const int NodeDownAgain = 17;
    private const int NodeBackAgain = 18;

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Start_up_logs_one_Information_line_with_the_nodes_the_quorum_and_the_changed_settings(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();

        bed.Engine(o => o.RetryCount = 3, logs);

        var started = Assert.Single(logs.WithEvent(Started));
        Assert.Equal(LogLevel.Information, started.Level);
        foreach (var node in bed.Nodes.ConnectionStrings)
        {
            Assert.Contains(node, started.Message);
        }

        Assert.Contains("a lock needs 2", started.Message);
        Assert.Contains("RetryCount 3", started.Message);
        Assert.Contains("NodeTimeout 1000 ms", started.Message);
        Assert.DoesNotContain("DriftFactor", started.Message);
        Assert.Single(logs.AtLeast(LogLevel.Information));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_node_going_down_and_coming_back_logs_one_Warning_and_one_Information_not_a_line_per_call(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();

        var engine = bed.Engine(PatientTimeouts.Apply, logs);
        await using (await engine.AcquireAsync(Names.Unique("logs"), TimeSpan.FromSeconds(5)))
        {
        }

        // The acquisition returned at a quorum; the third node's answer (its first) may come a moment later.
        await Eventually.TrueAsync(() => Task.FromResult(engine.NodeStatus.All(n => n.Health == RedlockNodeHealth.Up)), TimeSpan.FromSeconds(15), "not every node answered");
        var killed = bed.Nodes.Nodes[1];
        await killed.KillAsync();
        await Eventually.TrueAsync(() => Task.FromResult(logs.WithEvent(NodeDown).Length > 0), TimeSpan.FromSeconds(15), "no node-down line");
        var down = Assert.Single(logs.WithEvent(NodeDown));
        Assert.Equal(LogLevel.Warning, down.Level);
        Assert.Contains(killed.ConnectionString, down.Message);
        Assert.Contains("2 of 3 nodes are up", down.Message);

        // Calls while the node is down: they work (a quorum is up) and add nothing above Debug.
        var before = logs.AtLeast(LogLevel.Information).Length;
        const int calls = 20;
        for (var i = 0; i < calls; i++)
        {
            await using var lease = await engine.AcquireAsync(Names.Unique("logs"), TimeSpan.FromSeconds(5));
            await lease.ExtendAsync();
        }

        Assert.Equal(before, logs.AtLeast(LogLevel.Information).Length);
        Assert.All(logs.Lines.Where(l => l.Message.Contains(killed.ConnectionString, StringComparison.Ordinal) && l.EventId.Id is not (NodeDown or Started)), l => Assert.True(l.Level <= LogLevel.Debug, l.ToString()));

        await killed.RestartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(logs.WithEvent(NodeBack).Length > 0), TimeSpan.FromSeconds(15), "no node-back line");
        await using (await engine.AcquireAsync(Names.Unique("logs"), TimeSpan.FromSeconds(5)))
        {
        }

        var back = Assert.Single(logs.WithEvent(NodeBack));
        Assert.Equal(LogLevel.Information, back.Level);
        Assert.Contains(killed.ConnectionString, back.Message);
        Assert.Contains("3 of 3 nodes are up", back.Message);
        Assert.Single(logs.WithEvent(NodeDown));
        Assert.Single(logs.AtLeast(LogLevel.Warning));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_node_that_goes_down_again_soon_after_is_logged_at_Debug_the_second_time(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();
        bed.Engine(PatientTimeouts.Apply, logs);
        var node = bed.Nodes.Nodes[0];

        for (var round = 1; round <= 2; round++)
        {
            await node.KillAsync();
            await Eventually.TrueAsync(
                () => Task.FromResult(logs.WithEvent(NodeDown).Length + logs.WithEvent(NodeDownAgain).Length == round), TimeSpan.FromSeconds(15), $"no down line in round {round}");
            await node.RestartAsync();
            await Eventually.TrueAsync(
                () => Task.FromResult(logs.WithEvent(NodeBack).Length + logs.WithEvent(NodeBackAgain).Length == round), TimeSpan.FromSeconds(15), $"no back line in round {round}");
        }

        Assert.Equal(LogLevel.Warning, Assert.Single(logs.WithEvent(NodeDown)).Level);
        Assert.Equal(LogLevel.Information, Assert.Single(logs.WithEvent(NodeBack)).Level);
        Assert.Equal(LogLevel.Debug, Assert.Single(logs.WithEvent(NodeDownAgain)).Level);
        Assert.Equal(LogLevel.Debug, Assert.Single(logs.WithEvent(NodeBackAgain)).Level);
        Assert.Single(logs.AtLeast(LogLevel.Warning));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lost_lock_is_a_Warning_with_the_resource_how_long_it_was_held_and_why(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();
        var engine = bed.Engine(configure: null, logs);
        var resource = Names.Unique("lost-log");
        await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(3), new RedlockAcquireOptions { AutoExtend = true });
        await bed.HeldEverywhereAsync(resource, lease.Token);

        // Someone deletes the keys: the next automatic extension finds them gone everywhere.
        for (var i = 0; i < 3; i++)
        {
            await (await bed.NodeAsync(i)).KeyDeleteAsync(resource);
        }

        await Eventually.TrueAsync(() => Task.FromResult(lease.IsLost), TimeSpan.FromSeconds(10), "the lease never noticed");
        await Eventually.TrueAsync(() => Task.FromResult(logs.WithEvent(Lost).Length > 0), TimeSpan.FromSeconds(5), "no lost line");

        var lost = Assert.Single(logs.WithEvent(Lost));
        Assert.Equal(LogLevel.Warning, lost.Level);
        Assert.Contains($"'{resource}'", lost.Message);
        Assert.Contains("the key is gone or has another owner on", lost.Message);
        Assert.Equal(resource, lost.Values["Resource"]);
        Assert.InRange((double)lost.Values["HeldSeconds"]!, 0.001, 60);
        Assert.Contains("was lost after being held for", lost.Message);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_lease_that_expired_unwatched_is_logged_as_lost_when_it_is_released(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();
        var engine = bed.Engine(configure: null, logs);
        var resource = Names.Unique("expired-log");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(1), new RedlockAcquireOptions { AutoExtend = false });

        // No extender and nobody reading LostToken: nothing notices the validity running out until the release.
        await Eventually.TrueAsync(() => Task.FromResult(lease.RemainingValidity <= TimeSpan.Zero), TimeSpan.FromSeconds(10), "validity never ran out");
        Assert.Empty(logs.WithEvent(Lost));
        await lease.DisposeAsync();

        var lost = Assert.Single(logs.WithEvent(Lost));
        Assert.Equal(LogLevel.Warning, lost.Level);
        Assert.Contains($"'{resource}'", lost.Message);
        Assert.Contains("its validity ran out without a successful extension", lost.Message);
        Assert.True((double)lost.Values["HeldSeconds"]! >= 0.9, lost.Message);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Losing_every_node_logs_each_node_once_and_the_lost_lock_once_not_every_retry(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var logs = new CapturingLoggerFactory();
        var engine = bed.Engine(o => o.NodeTimeout = TimeSpan.FromSeconds(2), logs);
        var resource = Names.Unique("outage");
        var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(2), new RedlockAcquireOptions { AutoExtend = true });

        // Only what the outage logs counts: on a loaded machine a node may already have timed out (and logged) before it.
        var before = logs.Lines.Count;
        LogLine[] Since() => logs.Lines.Skip(before).ToArray();
        LogLine[] Downs() => Since().Where(l => l.EventId.Id is NodeDown or NodeDownAgain).ToArray();
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.KillAsync();
        }

        await Eventually.TrueAsync(() => Task.FromResult(lease.IsLost), TimeSpan.FromSeconds(15), "the lease never noticed");

        // The line comes from the extender once its round with the dead nodes has timed out (2 s here), later than IsLost.
        await Eventually.TrueAsync(() => Task.FromResult(logs.WithEvent(Lost).Length > 0), TimeSpan.FromSeconds(15), "no lost line: " + logs.Dump());
        await Eventually.TrueAsync(() => Task.FromResult(Downs().Length >= 3), TimeSpan.FromSeconds(15), "not every node was logged down: " + logs.Dump());
        await lease.DisposeAsync();

        Assert.Equal(3, Downs().Length);
        Assert.Equal(3, Downs().Select(l => l.Values["Node"]).Distinct().Count());
        Assert.Single(logs.WithEvent(Lost));
        Assert.True(Since().Count(l => l.EventId.Id == ExtendUnconfirmed) <= 1, logs.Dump());
        Assert.True(Since().Count(l => l.Level >= LogLevel.Warning) <= 4, logs.Dump());
        Assert.True(Since().Count(l => l.Level >= LogLevel.Debug) <= 12, logs.Dump());
    }
}
