using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Engine;

public class ReleaseErrorTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_failing_release_never_replaces_the_callers_exception(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.ReleaseTimeout = TimeSpan.FromMilliseconds(300));
        var resource = Names.Unique("body-throws");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var lease = await engine.AcquireAsync(resource, TimeSpan.FromSeconds(5));

            // Every node goes away before the release runs.
            foreach (var node in bed.Nodes.Nodes)
            {
                await node.KillAsync();
            }

            throw new InvalidOperationException("the body's own failure");
        });

        Assert.Equal("the body's own failure", error.Message);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Release_with_every_node_down_completes_without_throwing(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var engine = bed.Engine(o => o.ReleaseTimeout = TimeSpan.FromMilliseconds(300));
        var lease = await engine.AcquireAsync(Names.Unique("down"), TimeSpan.FromSeconds(5), new RedlockAcquireOptions { AutoExtend = true });
        foreach (var node in bed.Nodes.Nodes)
        {
            await node.KillAsync();
        }

        await lease.ReleaseAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(lease.IsReleased);
    }
}
