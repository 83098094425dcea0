using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// The generated wrappers against committed baselines (<c>Baselines/*.g.cs</c>; rewrite with
/// <c>REDLOCK_UPDATE_SNAPSHOTS=1</c>). Every case also compiles source plus wrapper against the real runtime with no
/// warnings, and the analyzer finds nothing to report.
/// </summary>
public sealed class SnapshotTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using RedlockAspects;

        """;

    [Fact]
    public void CardExample_Verbatim_PrimaryConstructorEngine() => GeneratorAssert.GeneratesClean("CardExample", Usings + """
        namespace Demo;

        public interface ILedger { Task PostAsync(string accountId, decimal amount, CancellationToken ct); }

        public sealed partial class Billing(IRedlock redlock, ILedger ledger)
        {
            [DistributedLock("key:<accountId>", TtlMs=1000)]
            public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

            private async Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct)
            {
                await ledger.PostAsync(accountId, amount, ct);
            }
        }
        """);

    [Fact]
    public void Fencing_TokenReadThroughTheLease() => GeneratorAssert.GeneratesClean("Fencing_Lease", Usings + """
        namespace Demo;

        public interface IStore { Task WriteAsync(string accountId, long fence, CancellationToken ct); }

        public sealed partial class Ledger(IRedlock redlock, IStore store)
        {
            [DistributedLock("acct:{accountId}", TtlMs = 1000, Fencing = true)]
            public partial Task PostAsync(string accountId, CancellationToken ct = default);

            private Task PostAsyncCore(string accountId, CancellationToken ct, RedlockLease lease) =>
                store.WriteAsync(accountId, lease.FencingToken!.Value, ct);
        }
        """);

    [Fact]
    public void Task_EngineInField_NoCancellationToken() => GeneratorAssert.GeneratesClean("Task_Field", Usings + """
        namespace Demo;

        public partial class Reports
        {
            private readonly IRedlock _redlock;

            public Reports(IRedlock redlock) => _redlock = redlock;

            [DistributedLock("reports:{reportId}", TtlMs = 30000)]
            public partial Task RebuildAsync(int reportId);

            private Task RebuildAsyncCore(int reportId) => Task.CompletedTask;
        }
        """);

    [Fact]
    public void TaskOfT_CancellationTokenPassthrough() => GeneratorAssert.GeneratesClean("TaskOfT_CancellationToken", Usings + """
        namespace Demo;

        public partial class Accounts(IRedlock redlock)
        {
            [DistributedLock("account:{accountId}", TtlMs = 1000, WaitMs = 250)]
            public partial Task<decimal> WithdrawAsync(string accountId, decimal amount, CancellationToken cancellationToken);

            private Task<decimal> WithdrawAsyncCore(string accountId, decimal amount, CancellationToken cancellationToken) => Task.FromResult(amount);
        }
        """);

    [Fact]
    public void ValueTask_EngineInProperty() => GeneratorAssert.GeneratesClean("ValueTask_Property", Usings + """
        namespace Demo;

        public partial class Cache
        {
            public required IRedlock Locks { get; init; }

            [DistributedLock("cache:{id}", TtlMs = 500, AutoExtend = false)]
            internal partial ValueTask RefreshAsync(Guid id);

            private ValueTask RefreshAsyncCore(Guid id) => default;
        }
        """);

    [Fact]
    public void ValueTaskOfT_NullableResult_CoreReturnsTask() => GeneratorAssert.GeneratesClean("ValueTaskOfT", Usings + """
        namespace Demo;

        public partial class Directory(IRedlock redlock)
        {
            [DistributedLock("names:{name}", TtlMs = 1000)]
            public partial ValueTask<string?> FindAsync(string name, CancellationToken ct);

            private Task<string?> FindAsyncCore(string name, CancellationToken ct) => Task.FromResult<string?>(null);
        }
        """);

    [Fact]
    public void LeaseParameter_PassedToCore() => GeneratorAssert.GeneratesClean("LeaseParameter", Usings + """
        namespace Demo;

        public partial class Fenced(IRedlock redlock)
        {
            [DistributedLock("stock:{sku}", TtlMs = 2000, MaxHoldMs = 60000)]
            public partial Task<long> ReserveAsync(string sku, int quantity, CancellationToken ct);

            private Task<long> ReserveAsyncCore(string sku, int quantity, CancellationToken ct, RedlockLease lease) =>
                Task.FromResult(lease.Token.Length + (long)quantity);
        }
        """);

    [Fact]
    public void GenericMethod_WithConstraints() => GeneratorAssert.GeneratesClean("GenericMethod", Usings + """
        namespace Demo;

        public interface IEntity { string Id { get; } }

        public partial class Repository(IRedlock redlock)
        {
            [DistributedLock("entity:{entity.Id}", TtlMs = 1000)]
            public partial Task<TResult?> SaveAsync<TEntity, TResult>(TEntity entity, CancellationToken ct)
                where TEntity : class, IEntity, new()
                where TResult : struct;

            private Task<TResult?> SaveAsyncCore<TEntity, TResult>(TEntity entity, CancellationToken ct)
                where TEntity : class, IEntity, new()
                where TResult : struct => Task.FromResult<TResult?>(null);
        }
        """);

    [Fact]
    public void NestedAndGenericContainingTypes() => GeneratorAssert.GeneratesClean("NestedGenericTypes", Usings + """
        namespace Demo.Deep
        {
            public partial class Outer<TKey>
                where TKey : notnull
            {
                internal partial record Middle(IRedlock Redlock)
                {
                    public partial struct Inner<TValue>
                    {
                        private static IRedlock? s_engine;

                        [DistributedLock("inner:{key}:{value}", TtlMs = 1000)]
                        public static partial Task PutAsync(TKey key, TValue value);

                        private static Task PutAsyncCore(TKey key, TValue value) => Task.CompletedTask;

                        public static void Use(IRedlock engine) => s_engine = engine;
                    }

                    [DistributedLock("middle:{id}", TtlMs = 1000)]
                    public partial Task TouchAsync(int id);

                    private Task TouchAsyncCore(int id) => Task.CompletedTask;
                }
            }
        }
        """, expectedFiles: 2);

    [Fact]
    public void StaticMethod_StaticEngine_SkipAndMinHold() => GeneratorAssert.GeneratesClean("StaticMethod_Skip", Usings + """
        namespace Demo;

        public static partial class DigestJob
        {
            public static IRedlock Engine { get; set; } = null!;

            [DistributedLock("jobs:digest:{occurrence:yyyyMMddHHmm}", TtlMs = 5000, WaitMs = 0, OnBusy = OnBusy.Skip, MinHoldMs = 60000)]
            public static partial Task RunAsync(DateTimeOffset occurrence, CancellationToken ct);

            private static Task RunAsyncCore(DateTimeOffset occurrence, CancellationToken ct) => Task.CompletedTask;
        }
        """);

    [Fact]
    public void Skip_BoolResultSaysWhetherTheBodyRan() => GeneratorAssert.GeneratesClean("Skip_RanResult", Usings + """
        namespace Demo;

        public sealed partial class Digest(IRedlock redlock)
        {
            [DistributedLock("jobs:digest:{day}", TtlMs = 2000, WaitMs = 0, OnBusy = OnBusy.Skip)]
            public partial Task<bool> RunAsync(int day, CancellationToken ct);

            [DistributedLock("jobs:report:{day}", TtlMs = 2000, OnBusy = OnBusy.Skip)]
            public partial ValueTask<bool> ReportAsync(int day);

            private Task RunAsyncCore(int day, CancellationToken ct) => Task.CompletedTask;

            private ValueTask ReportAsyncCore(int day) => default;
        }
        """, expectedFiles: 2);

    [Fact]
    public void NotReentrant_WritesTheSwitch() => GeneratorAssert.GeneratesClean("NotReentrant", Usings + """
        namespace Demo;

        public partial class Accounts(IRedlock redlock)
        {
            [DistributedLock("acct:{id}", TtlMs = 1000, Reentrant = false)]
            public partial Task DebitAsync(string id, int amount);

            private Task DebitAsyncCore(string id, int amount) => Task.CompletedTask;
        }
        """);

    [Fact]
    public void MemberChains_NullableValues_Formats() => GeneratorAssert.GeneratesClean("MemberChains", Usings + """
        namespace Demo;

        public sealed class Customer { public string? Region { get; set; } public int Id { get; init; } }
        public sealed record Order(Customer? Customer, decimal Total, DateTime PlacedAt);
        public readonly record struct Shard(int Number);

        public partial class Orders(IRedlock redlock)
        {
            [DistributedLock("orders:{order.Customer.Region}:{order.Customer.Id}/{order.Total:F2}@{order.PlacedAt:O}#{shard.Number}", TtlMs = 1000)]
            public partial Task ShipAsync(Order order, Shard? shard, CancellationToken ct);

            private Task ShipAsyncCore(Order order, Shard? shard, CancellationToken ct) => Task.CompletedTask;
        }
        """);

    [Fact]
    public void LiteralBracesQuotesAndConstantKey() => GeneratorAssert.GeneratesClean("LiteralsAndConstantKey", Usings + """
        namespace Demo;

        public partial class Literals(IRedlock redlock)
        {
            [DistributedLock("a{{b}}\"q\"\\<id>", TtlMs = 1000)]
            public partial Task WithBracesAsync(long id);

            [DistributedLock("jobs:nightly", TtlMs = 1000)]
            public partial Task NightlyAsync();

            private Task WithBracesAsyncCore(long id) => Task.CompletedTask;

            private Task NightlyAsyncCore() => Task.CompletedTask;
        }
        """, expectedFiles: 2);

    [Fact]
    public void GlobalNamespace_Overloads_EngineInBaseClass() => GeneratorAssert.GeneratesClean("GlobalNamespace_Overloads", Usings + """
        public abstract class ServiceBase
        {
            protected IRedlock Redlock { get; }

            protected ServiceBase(IRedlock redlock) => Redlock = redlock;
        }

        public partial class Mailer : ServiceBase
        {
            public Mailer(IRedlock redlock) : base(redlock) { }

            [DistributedLock("mail:{to}", TtlMs = 1000)]
            public partial Task SendAsync(string to);

            [DistributedLock("mail:{to}:{class}", TtlMs = 1000)]
            public partial Task SendAsync(string to, string @class, params string[] cc);

            private Task SendAsyncCore(string to) => Task.CompletedTask;

            private Task SendAsyncCore(string to, string @class, string[] cc) => Task.CompletedTask;
        }
        """, expectedFiles: 2);

    [Fact]
    public void Invalid_methods_get_throwing_stubs_so_only_RLK_errors_remain()
    {
        var run = TestCompilation.RunGenerator(TestCompilation.Create(Usings + """
            namespace Demo;

            public sealed partial class Broken(IRedlock redlock)
            {
                [DistributedLock("account:{accountId}")]
                public partial Task MissingTtlAsync(string accountId);

                [DistributedLock("account:{accountId}", TtlMs = 1000)]
                public partial void NotAsync(string accountId);

                [DistributedLock("account:{acountId}", TtlMs = 1000)]
                internal partial Task<int> TypoAsync(string accountId);

                [DistributedLock("account:{accountId}", TtlMs = 1000)]
                public partial Task ByRefAsync(string accountId, out int count);

                private Task MissingTtlAsyncCore(string accountId) => Task.CompletedTask;
                private void NotAsyncCore(string accountId) { }
                private Task<int> TypoAsyncCore(string accountId) => Task.FromResult(1);
                private Task ByRefAsyncCore(string accountId) => Task.CompletedTask;
            }
            """));

        var text = string.Join("\n// ----- next file -----\n", run.Sources.Select(s => "// " + s.HintName + "\n" + s.SourceText));
        Snapshot.Match("InvalidMethodStubs.g.cs", text);

        // The compiler itself is satisfied, so a command-line build runs the analyzer and prints the RLK errors.
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var ids = GeneratorAssert.AnalyzerDiagnostics(run.Output).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(new[] { "RLK0001", "RLK0006", "RLK0007", "RLK0011", "RLK0016" }, ids);
    }
}
