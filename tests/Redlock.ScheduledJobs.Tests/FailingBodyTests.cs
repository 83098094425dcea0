using RedlockAspects.ScheduledJobs.Tests.Infrastructure;
using RedlockAspects.ScheduledJobs.Tests.Jobs;
using RedlockAspects.Testing;
using ScheduledJobs.Jobs;

namespace RedlockAspects.ScheduledJobs.Tests;

/// <summary>A body that throws: the caller sees its exception, and the key is released, or held to the minimum, on the nodes.</summary>
[Collection(NodesCollection.Name)]
public sealed class FailingBodyTests(NodeGroups groups, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Occurrence = new(2025, 1, 6, 8, 0, 30, TimeSpan.Zero);

    private static readonly InvalidOperationException Boom = new("the mail server is down");

    private static DigestWorkOptions Throwing => new() { Fault = _ => Boom };

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task ThrowingBody_WithoutMinHold_DeletesTheKeyOnEveryNode(RedisBackend backend)
    {
        var nodes = await groups.GetAsync(backend);
        await using var keys = await NodeKeys.ConnectAsync(nodes);
        await using var instances = await Instances.CreateAsync<FailingDigestJob>(nodes, 2, Throwing);
        var key = instances.KeyPrefix + "jobs:failing:20250106080030";

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => instances.Job<FailingDigestJob>(0).RunAsync(Occurrence, CancellationToken.None));
        Assert.Same(Boom, thrown);
        Assert.Equal(1, instances.Work(0).Runs(Occurrence));

        // Release returns once a quorum has deleted; the last node follows right after.
        var states = await keys.StateAsync(key);
        output.WriteLine($"{backend}, right after the throw: {Describe(states)}");
        Assert.True(states.Count(s => s.Value is null) >= 2, Describe(states));
        await EventuallyAsync(async () => (await keys.StateAsync(key)).All(s => s.Value is null), "the key is still on a node");

        // Released, not held: another instance can take the occurrence straight away.
        await Assert.ThrowsAsync<InvalidOperationException>(() => instances.Job<FailingDigestJob>(1).RunAsync(Occurrence, CancellationToken.None));
        Assert.Equal(1, instances.Work(1).Runs(Occurrence));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task ThrowingBody_WithMinHold_ShortensTheKeyToTheRestOfTheMinHoldOnEveryNode(RedisBackend backend)
    {
        var nodes = await groups.GetAsync(backend);
        await using var keys = await NodeKeys.ConnectAsync(nodes);
        await using var instances = await Instances.CreateAsync<FailingMinHoldDigestJob>(nodes, 2, Throwing);
        var key = instances.KeyPrefix + "jobs:failing-held:20250106080030";
        var job = instances.Job<FailingMinHoldDigestJob>(0);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => job.RunAsync(Occurrence, CancellationToken.None));
        Assert.Same(Boom, thrown);

        // Every node still has our token, now with at most the 2 s minimum hold left, not the 10 s TTL it was set with.
        await EventuallyAsync(async () => (await keys.StateAsync(key)).All(s => s.Ttl <= TimeSpan.FromMilliseconds(FailingMinHoldDigestJob.MinHoldMs)), "a node kept the 10 s TTL");
        var states = await keys.StateAsync(key);
        output.WriteLine($"{backend}, after the throw: {Describe(states)}");
        Assert.All(states, s => Assert.Equal(job.LastToken, s.Value));
        Assert.All(states, s => Assert.InRange(s.Ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(FailingMinHoldDigestJob.MinHoldMs)));

        // The occurrence counts as taken: another instance skips it while the hold lasts.
        await instances.Job<FailingMinHoldDigestJob>(1).RunAsync(Occurrence, CancellationToken.None);
        Assert.Equal(0, instances.Work(1).Runs(Occurrence));

        // And the hold ends by itself.
        await EventuallyAsync(async () => (await keys.StateAsync(key)).All(s => s.Value is null), "the key outlived its minimum hold", TimeSpan.FromSeconds(4));
    }

    private static string Describe((string? Value, TimeSpan? Ttl)[] states) =>
        string.Join(", ", states.Select((s, i) => s.Value is null ? $"node {i}: no key" : $"node {i}: {s.Value[..8]}... ttl {s.Ttl?.TotalMilliseconds} ms"));

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string because, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(2));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(20);
        }
    }
}
