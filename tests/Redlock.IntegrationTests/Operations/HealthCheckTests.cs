using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace RedlockAspects.IntegrationTests.Operations;

/// <summary><c>AddHealthChecks().AddRedlock()</c> on real nodes, resolved and run the way ASP.NET Core runs it.</summary>
public class HealthCheckTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Every_node_up_is_healthy_and_the_data_names_each_node_with_its_state_and_round_trip(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var services = Services(bed, checks => checks.AddRedlock());

        var entry = await CheckAsync(services);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(2, entry.Data["quorum"]);
        Assert.Equal(3, entry.Data["nodesUp"]);
        foreach (var node in bed.Nodes.Nodes)
        {
            var data = NodeData(entry, node);
            Assert.Equal("up", data["state"]);
            Assert.True((double)data["roundTripMs"] >= 0, $"round trip of {node}: {data["roundTripMs"]}");
            Assert.False(data.ContainsKey("detail"));
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task One_node_of_three_down_is_degraded_and_names_the_node_that_is_down(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var services = Services(bed, checks => checks.AddRedlock());
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(services)).Status);

        await bed.Nodes.Nodes[1].KillAsync();
        var entry = await WaitForAsync(services, HealthStatus.Degraded);

        Assert.Equal(2, entry.Data["nodesUp"]);
        var down = NodeData(entry, bed.Nodes.Nodes[1]);
        Assert.Equal("down", down["state"]);
        Assert.False(string.IsNullOrEmpty((string)down["detail"]));
        Assert.Contains(bed.Nodes.Nodes[1].ConnectionString, entry.Description);
        Assert.Equal("up", NodeData(entry, bed.Nodes.Nodes[0])["state"]);
        Assert.Equal("up", NodeData(entry, bed.Nodes.Nodes[2])["state"]);

        // Locks still work while degraded.
        var redlock = services.GetRequiredService<IRedlock>();
        await using (await redlock.AcquireAsync(Names.Unique("health"), TimeSpan.FromSeconds(5)))
        {
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Two_nodes_of_three_down_is_unhealthy_and_comes_back_when_they_do(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var services = Services(bed, checks => checks.AddRedlock());
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(services)).Status);

        await bed.Nodes.Nodes[0].KillAsync();
        await bed.Nodes.Nodes[2].KillAsync();
        var entry = await WaitForAsync(services, HealthStatus.Unhealthy);
        Assert.Equal(1, entry.Data["nodesUp"]);
        Assert.Equal("down", NodeData(entry, bed.Nodes.Nodes[0])["state"]);
        Assert.Equal("down", NodeData(entry, bed.Nodes.Nodes[2])["state"]);
        Assert.Equal("up", NodeData(entry, bed.Nodes.Nodes[1])["state"]);

        await bed.Nodes.Nodes[0].RestartAsync();
        await WaitForAsync(services, HealthStatus.Degraded);
        await bed.Nodes.Nodes[2].RestartAsync();
        await WaitForAsync(services, HealthStatus.Healthy);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Below_quorum_reports_the_registered_failure_status_under_the_registered_name_and_tags(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var services = Services(bed, checks => checks.AddRedlock("locks", HealthStatus.Degraded, ["ready"]));
        await bed.Nodes.Nodes[0].KillAsync();
        await bed.Nodes.Nodes[1].KillAsync();

        // Two nodes down but the failure status is Degraded: wait for the description that says no lock can be taken.
        var deadline = DateTime.UtcNow + Patience;
        HealthReportEntry entry;
        do
        {
            var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
            entry = report.Entries["locks"];
        }
        while ((int)entry.Data["nodesUp"] > 1 && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(1, entry.Data["nodesUp"]);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("no lock can be taken", entry.Description);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_service_key_checks_the_keyed_engine(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        await using var single = await LockBed.StartAsync(backend, 1);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddKeyedRedlock("orders", o =>
        {
            o.Nodes.Add(single.Nodes.ConnectionStrings[0]);
            PatientTimeouts.Apply(o);
        });
        services.AddRedlock(o =>
        {
            foreach (var node in bed.Nodes.ConnectionStrings)
            {
                o.Nodes.Add(node);
            }

            PatientTimeouts.Apply(o);
        });
        services.AddHealthChecks().AddRedlock("orders-locks", serviceKey: "orders").AddRedlock();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(1, report.Entries["orders-locks"].Data["nodes"]);
        Assert.Equal(1, report.Entries["orders-locks"].Data["quorum"]);
        Assert.Equal(3, report.Entries["redlock"].Data["nodes"]);
        Assert.Equal(HealthStatus.Healthy, report.Entries["orders-locks"].Status);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task The_check_sends_nothing_while_the_engine_has_heard_from_every_node_recently(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var connections = new List<IConnectionMultiplexer>();
        ProfilingSession? session = null;
        foreach (var node in bed.Nodes.Nodes)
        {
            var connection = await node.ConnectAsync();
            connection.RegisterProfiler(() => Volatile.Read(ref session));
            connections.Add(connection);
        }

        try
        {
            var options = new RedlockOptions();
            PatientTimeouts.Apply(options);
            foreach (var connection in connections)
            {
                options.Connections.Add(connection);
            }

            await using var engine = new RedlockEngine(options);
            await using (await engine.AcquireAsync(Names.Unique("health"), TimeSpan.FromSeconds(5)))
            {
            }

            // An acquire returns at a quorum: the last node's answer (behind the scripts loaded at start) may come later.
            await Eventually.TrueAsync(
                () => Task.FromResult(engine.NodeStatus.All(n => n.RoundTrip is not null)), TimeSpan.FromSeconds(10), "some node never answered");

            var check = new RedlockHealthCheck(engine);
            var context = new HealthCheckContext { Registration = new HealthCheckRegistration("redlock", check, null, null) };

            Volatile.Write(ref session, new ProfilingSession());
            var result = await check.CheckHealthAsync(context);
            var sent = Interlocked.Exchange(ref session, null)!.FinishProfiling().Select(c => c.Command).ToArray();
            Assert.Equal(HealthStatus.Healthy, result.Status);

            // The release's last delete may still be on its way; what the check itself would send is a PING.
            Assert.DoesNotContain("PING", sent);

            // The same counting sees the pings of a check that has to ask.
            Volatile.Write(ref session, new ProfilingSession());
            await engine.CheckNodesAsync(TimeSpan.Zero);
            var pinged = Interlocked.Exchange(ref session, null)!.FinishProfiling().Count(c => c.Command == "PING");
            Assert.Equal(3, pinged);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static ServiceProvider Services(LockBed bed, Action<IHealthChecksBuilder> checks)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddRedlock(o =>
        {
            foreach (var node in bed.Nodes.ConnectionStrings)
            {
                o.Nodes.Add(node);
            }

            PatientTimeouts.Apply(o);
        });
        checks(services.AddHealthChecks());
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["redlock"];
    }

    private static async Task<HealthReportEntry> WaitForAsync(IServiceProvider services, HealthStatus status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var entry = await CheckAsync(services);
            if (entry.Status == status)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"still {entry.Status} ({entry.Description}) after {Patience.TotalSeconds} s; expected {status}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }

    private static IReadOnlyDictionary<string, object> NodeData(HealthReportEntry entry, RedisTestNode node) =>
        Assert.IsType<Dictionary<string, object>>(entry.Data[node.ConnectionString]);
}
