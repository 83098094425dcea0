using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RedlockAspects.Tests.Engine;

/// <summary>Nodes that refuse connections: the engine must still start, and must fail with every node's reason.</summary>
public class UnreachableNodesTests
{
    [Fact]
    public async Task An_engine_whose_nodes_are_all_down_starts_and_reports_each_node()
    {
        var ports = new[] { ClosedPort(), ClosedPort(), ClosedPort() };
        var options = new RedlockOptions { RetryCount = 1, RetryDelay = TimeSpan.FromMilliseconds(10), RetryJitter = TimeSpan.Zero };
        foreach (var port in ports)
        {
            options.Nodes.Add($"127.0.0.1:{port},connectTimeout=200");
        }

        var started = Stopwatch.StartNew();
        await using var engine = new RedlockEngine(options);
        var error = await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.AcquireAsync("account:1", TimeSpan.FromSeconds(1)));

        Assert.Equal(2, error.Quorum);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(3, error.Nodes.Count);
        Assert.All(error.Nodes, n => Assert.NotEqual(RedlockNodeState.Acquired, n.State));
        Assert.All(error.Nodes, n => Assert.NotEqual(RedlockNodeState.Busy, n.State));
        foreach (var port in ports)
        {
            Assert.Contains($"127.0.0.1:{port}", error.Message);
        }

        Assert.Contains("account:1", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task TryAcquire_does_not_hide_failing_nodes_as_busy()
    {
        var options = new RedlockOptions { RetryCount = 0 };
        options.Nodes.Add($"127.0.0.1:{ClosedPort()},connectTimeout=200");
        await using var engine = new RedlockEngine(options);

        await Assert.ThrowsAsync<RedlockNoQuorumException>(() => engine.TryAcquireAsync("job", TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task A_null_or_empty_resource_is_rejected(string? resource)
    {
        await using var engine = Engine();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => engine.AcquireAsync(resource!, TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => engine.TryAcquireAsync(resource!, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public async Task A_ttl_of_zero_or_less_is_rejected(int ttlMs)
    {
        await using var engine = Engine();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.AcquireAsync("r", TimeSpan.FromMilliseconds(ttlMs)));
        Assert.Equal("ttl", error.ParamName);
    }

    [Fact]
    public async Task Multi_resource_input_is_checked()
    {
        await using var engine = Engine();

        await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync(Array.Empty<string>(), TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync(["a", "a"], TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.AcquireAsync(["a", ""], TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => engine.AcquireAsync((IReadOnlyList<string>)null!, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void An_engine_without_nodes_cannot_be_built()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RedlockEngine(new RedlockOptions()));

        Assert.Contains("No Redis nodes", error.Message);
    }

    private static RedlockEngine Engine()
    {
        var options = new RedlockOptions();
        options.Nodes.Add($"127.0.0.1:{ClosedPort()},connectTimeout=200");
        return new RedlockEngine(options);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
