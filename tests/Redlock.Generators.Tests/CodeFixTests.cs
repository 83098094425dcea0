using RedlockAspects.Generators.CodeFixes;
using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>The three mechanical fixes. After each, the analyzer reports nothing.</summary>
public sealed class CodeFixTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using RedlockAspects;

        """;

    private static Task Fix<TCodeFix>(string source, string fixedSource)
        where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new() =>
        new CodeFixTest<TCodeFix>(Usings + source, Usings + fixedSource).RunAsync();

    [Fact]
    public Task MakePartial_adds_partial_after_the_other_modifiers() => Fix<MakeTypePartialCodeFixProvider>("""
        namespace Demo;

        public sealed class {|RLK0010:Billing|}(IRedlock redlock)
        {
            [DistributedLock("account:{accountId}", TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId);

            private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
        }
        """, """
        namespace Demo;

        public sealed partial class Billing(IRedlock redlock)
        {
            [DistributedLock("account:{accountId}", TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId);

            private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task MakePartial_fixes_every_enclosing_type() => Fix<MakeTypePartialCodeFixProvider>("""
        namespace Demo;

        class {|RLK0010:Outer|}
        {
            internal record {|RLK0010:Billing|}(IRedlock Redlock)
            {
                [DistributedLock("account:{accountId}", TtlMs = 1000)]
                public partial Task ChargeAsync(string accountId);

                private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
            }
        }
        """, """
        namespace Demo;

        partial class Outer
        {
            internal partial record Billing(IRedlock Redlock)
            {
                [DistributedLock("account:{accountId}", TtlMs = 1000)]
                public partial Task ChargeAsync(string accountId);

                private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task AddTtl_to_an_attribute_with_only_the_key() => Fix<AddTtlCodeFixProvider>("""
        public partial class Billing(IRedlock redlock)
        {
            [{|RLK0001:DistributedLock|}("key:<accountId>")]
            public partial Task ChargeAsync(string accountId);

            private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
        }
        """, """
        public partial class Billing(IRedlock redlock)
        {
            [DistributedLock("key:<accountId>", TtlMs = 1000)]
            public partial Task ChargeAsync(string accountId);

            private Task ChargeAsyncCore(string accountId) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AddTtl_after_other_settings() => Fix<AddTtlCodeFixProvider>("""
        public partial class Billing(IRedlock redlock)
        {
            [{|RLK0001:DistributedLockAttribute|}("jobs:{id}", OnBusy = OnBusy.Skip)]
            public partial Task RunAsync(int id);

            private Task RunAsyncCore(int id) => Task.CompletedTask;
        }
        """, """
        public partial class Billing(IRedlock redlock)
        {
            [DistributedLockAttribute("jobs:{id}", OnBusy = OnBusy.Skip, TtlMs = 1000)]
            public partial Task RunAsync(int id);

            private Task RunAsyncCore(int id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task CreateCore_for_the_card_example() => Fix<CreateCoreMethodCodeFixProvider>("""
        namespace Demo;

        public sealed partial class Billing(IRedlock redlock)
        {
            [DistributedLock("key:<accountId>", TtlMs=1000)]
            public partial Task {|RLK0015:ChargeAsync|}(string accountId, decimal amount, CancellationToken ct = default);

            public override string ToString() => "billing";
        }
        """, """
        namespace Demo;

        public sealed partial class Billing(IRedlock redlock)
        {
            [DistributedLock("key:<accountId>", TtlMs=1000)]
            public partial Task ChargeAsync(string accountId, decimal amount, CancellationToken ct = default);

            private Task ChargeAsyncCore(string accountId, decimal amount, CancellationToken ct)
            {
                throw new NotImplementedException();
            }

            public override string ToString() => "billing";
        }
        """);

    [Fact]
    public Task CreateCore_static_generic_with_result() => Fix<CreateCoreMethodCodeFixProvider>("""
        using System.Collections.Generic;

        public static partial class Jobs
        {
            private static readonly IRedlock Engine = null!;

            [DistributedLock("jobs:{name}", TtlMs = 1000)]
            internal static partial ValueTask<List<T>?> {|RLK0015:LoadAsync|}<T>(string name, int? @default)
                where T : class, new();
        }
        """, """
        using System.Collections.Generic;

        public static partial class Jobs
        {
            private static readonly IRedlock Engine = null!;

            [DistributedLock("jobs:{name}", TtlMs = 1000)]
            internal static partial ValueTask<List<T>?> LoadAsync<T>(string name, int? @default)
                where T : class, new();

            private static ValueTask<List<T>?> LoadAsyncCore<T>(string name, int? @default)
                where T : class, new()
            {
                throw new NotImplementedException();
            }
        }
        """);

    [Fact]
    public Task CreateCore_for_a_skip_method_whose_bool_says_whether_it_ran_returns_plain_Task() => Fix<CreateCoreMethodCodeFixProvider>("""
        public sealed partial class Digest(IRedlock redlock)
        {
            [DistributedLock("jobs:digest", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial Task<bool> {|RLK0015:RunAsync|}(CancellationToken ct);

            [DistributedLock("jobs:digest", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial ValueTask<bool> {|RLK0015:RunValueAsync|}();
        }
        """, """
        public sealed partial class Digest(IRedlock redlock)
        {
            [DistributedLock("jobs:digest", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial Task<bool> RunAsync(CancellationToken ct);

            private Task RunAsyncCore(CancellationToken ct)
            {
                throw new NotImplementedException();
            }

            [DistributedLock("jobs:digest", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial ValueTask<bool> RunValueAsync();

            private ValueTask RunValueAsyncCore()
            {
                throw new NotImplementedException();
            }
        }
        """);
}
