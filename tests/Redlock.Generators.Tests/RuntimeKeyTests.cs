using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// Compiles annotated classes with the generator in memory, loads them and calls the wrappers with a recording
/// <see cref="IRedlock"/>, to check the key built at run time. This is a key-building test, not a lock test: the fake
/// never grants a lock (it reports busy), so the bodies never run. Locking under concurrency is tested against real
/// nodes in Redlock.IntegrationTests.
/// </summary>
public sealed class RuntimeKeyTests
{
    private const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using RedlockAspects;

        namespace Demo;

        public sealed class Customer { public string? Region { get; set; } }
        public sealed record Order(Customer? Customer, int Number);

        public sealed partial class Billing(IRedlock redlock)
        {
            public int BodyRuns;

            [DistributedLock("key:<accountId>", TtlMs=1000)]
            public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

            [DistributedLock("t:{amount}:{when:yyyy-MM-dd HH:mm}:{when}:{ratio}:{day}", TtlMs = 1500, WaitMs = 0, OnBusy = OnBusy.Skip, MinHoldMs = 2000)]
            public partial Task FormatAsync(decimal amount, DateTime when, double ratio, DayOfWeek day);

            [DistributedLock("o:{order.Customer.Region}/{order.Number:D4}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial ValueTask ShipAsync(Order order);

            [DistributedLock("n:{shard}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial Task ShardAsync(int? shard);

            [DistributedLock("a{{b}}<c>:{id}", TtlMs = 1000)]
            public partial Task<int> BracesAsync(long id, int c);

            private Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct) { BodyRuns++; return Task.CompletedTask; }
            private Task FormatAsyncCore(decimal amount, DateTime when, double ratio, DayOfWeek day) { BodyRuns++; return Task.CompletedTask; }
            private ValueTask ShipAsyncCore(Order order) { BodyRuns++; return default; }
            private Task ShardAsyncCore(int? shard) { BodyRuns++; return Task.CompletedTask; }
            private Task<int> BracesAsyncCore(long id, int c) { BodyRuns++; return Task.FromResult(1); }
        }
        """;

    private static readonly Lazy<Assembly> Compiled = new(Compile);

    [Fact]
    public async Task Card_example_locks_key_colon_argument()
    {
        var (billing, engine) = Create();
        var busy = await Assert.ThrowsAsync<RedlockBusyException>(() => Call(billing, "ChargeAsync", "acct-42", 10m, CancellationToken.None));

        Assert.Equal("key:acct-42", busy.Resource);
        var call = Assert.Single(engine.Calls);
        Assert.Equal(("Acquire", "key:acct-42"), (call.Method, call.Resource));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), call.Ttl);
        Assert.True(call.Options!.AutoExtend);
        Assert.Equal(0, BodyRuns(billing));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public async Task Values_are_formatted_with_the_invariant_culture(string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        var previousUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            var (billing, engine) = Create();
            await Call(billing, "FormatAsync", 1234.5m, new DateTime(2024, 3, 1, 13, 45, 0), 0.25, DayOfWeek.Friday);

            var call = Assert.Single(engine.Calls);
            Assert.Equal("TryAcquire", call.Method);
            Assert.Equal("t:1234.5:2024-03-01 13:45:03/01/2024 13:45:00:0.25:Friday", call.Resource);
            Assert.Equal(TimeSpan.FromMilliseconds(1500), call.Ttl);
            Assert.Equal(TimeSpan.Zero, call.Options!.MaxWait);
            Assert.Equal(TimeSpan.FromMilliseconds(2000), call.Options.MinHold);
            Assert.Equal(0, BodyRuns(billing));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }

    [Fact]
    public async Task Null_argument_throws_ArgumentNullException_naming_the_parameter()
    {
        var (billing, engine) = Create();
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => Call(billing, "ChargeAsync", null, 1m, CancellationToken.None));

        Assert.Equal("accountId", error.ParamName);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Null_nullable_value_throws_ArgumentNullException()
    {
        var (billing, engine) = Create();
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => Call(billing, "ShardAsync", new object?[] { null }));
        Assert.Equal("shard", error.ParamName);

        await Call(billing, "ShardAsync", 7);
        Assert.Equal("n:7", Assert.Single(engine.Calls).Resource);
    }

    [Fact]
    public async Task Member_chain_builds_the_key_and_a_null_member_names_the_path()
    {
        var (billing, engine) = Create();
        var customerType = Compiled.Value.GetType("Demo.Customer")!;
        var orderType = Compiled.Value.GetType("Demo.Order")!;
        var customer = Activator.CreateInstance(customerType)!;
        customerType.GetProperty("Region")!.SetValue(customer, "eu-west");

        await Call(billing, "ShipAsync", Activator.CreateInstance(orderType, customer, 42));
        Assert.Equal("o:eu-west/0042", Assert.Single(engine.Calls).Resource);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Call(billing, "ShipAsync", Activator.CreateInstance(orderType, null, 1)));
        Assert.Equal("order", error.ParamName);
        Assert.Contains("'order.Customer'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Literal_braces_and_angle_placeholders()
    {
        var (billing, engine) = Create();
        await Assert.ThrowsAsync<RedlockBusyException>(() => Call(billing, "BracesAsync", 7L, 3));
        Assert.Equal("a{b}3:7", Assert.Single(engine.Calls).Resource);
    }

    private static (object Billing, RecordingRedlock Engine) Create()
    {
        var engine = new RecordingRedlock();
        var type = Compiled.Value.GetType("Demo.Billing")!;
        return (Activator.CreateInstance(type, engine)!, engine);
    }

    private static int BodyRuns(object billing) => (int)billing.GetType().GetField("BodyRuns")!.GetValue(billing)!;

    private static async Task Call(object target, string method, params object?[] arguments)
    {
        var result = target.GetType().GetMethod(method)!.Invoke(target, arguments);
        switch (result)
        {
            case Task task:
                await task;
                break;
            case ValueTask valueTask:
                await valueTask;
                break;
        }
    }

    private static Assembly Compile()
    {
        var run = TestCompilation.RunGenerator(TestCompilation.Create(Source));
        GeneratorAssert.AssertNoWarnings(run.Output);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;

        // Redlock.Runtime is not in this context, so it resolves to the test's own copy: one IRedlock type for both.
        return new AssemblyLoadContext("RedlockKeyTests", isCollectible: true).LoadFromStream(image);
    }

    /// <summary>Records what it is asked for and never grants a lock: busy for Acquire, null for TryAcquire.</summary>
    private sealed class RecordingRedlock : IRedlock
    {
        public List<(string Method, string Resource, TimeSpan Ttl, RedlockAcquireOptions? Options)> Calls { get; } = new();

        public Task<RedlockLease> AcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add(("Acquire", resource, ttl, options));
            throw new RedlockBusyException(new[] { resource }, 1, TimeSpan.Zero);
        }

        public Task<RedlockLease?> TryAcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add(("TryAcquire", resource, ttl, options));
            return Task.FromResult<RedlockLease?>(null);
        }

        public Task<RedlockLease> AcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<RedlockLease?> TryAcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<RedlockInspection> InspectAsync(string resource, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
