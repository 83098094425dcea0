using RedlockAspects.Generators.Tests.Infrastructure;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// Every RLK diagnostic, with markup on the exact span it must cover: when it fires, and when it must not (those cases
/// also run the generator and compile with no warnings).
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using RedlockAspects;

        """;

    private static Task Fires(string source) => new AnalyzerTest(Usings + source, compilesCleanly: false).RunAsync();

    private static Task Clean(string source) => new AnalyzerTest(Usings + source, compilesCleanly: true).RunAsync();

    /// <summary>A class with one engine and a <c>RunAsync(string id, int count)</c> body; the attribute and declaration vary.</summary>
    private static string Service(string attribute, string declaration = "public partial Task RunAsync(string id, int count);") => $$"""
        public sealed partial class Service(IRedlock redlock)
        {
            {{attribute}}
            {{declaration}}

            private Task RunAsyncCore(string id, int count) => Task.CompletedTask;
        }
        """;

    [Fact]
    public Task Valid_method_reports_nothing_and_compiles() => Clean(Service("""[DistributedLock("jobs:{id}:<count>", TtlMs = 1000)]"""));

    // RLK0001
    [Fact]
    public Task RLK0001_missing_ttl() => Fires(Service("""[{|RLK0001:DistributedLock|}("jobs:{id}")]"""));

    [Fact]
    public Task RLK0001_not_when_ttl_is_set() => Clean(Service("""[DistributedLock("jobs:{id}", TtlMs = 1)]"""));

    // RLK0002
    [Theory]
    [InlineData("0")]
    [InlineData("-1000")]
    public Task RLK0002_non_positive_ttl(string ttl) => Fires(Service($$"""[DistributedLock("jobs:{id}", {|RLK0002:TtlMs = {{ttl}}|})]"""));

    // RLK0003
    [Theory]
    [InlineData("WaitMs = -2")]
    [InlineData("MaxHoldMs = -1")]
    [InlineData("MinHoldMs = -5")]
    [InlineData("OnBusy = (OnBusy)7")]
    public Task RLK0003_invalid_values(string setting) => Fires(Service($$"""[DistributedLock("jobs:{id}", TtlMs = 1000, {|RLK0003:{{setting}}|})]"""));

    [Theory]
    [InlineData("WaitMs = -1")]
    [InlineData("WaitMs = 0")]
    [InlineData("WaitMs = 5000, MaxHoldMs = 0, MinHoldMs = 0")]
    [InlineData("MinHoldMs = 60000, OnBusy = OnBusy.Skip")]
    public Task RLK0003_not_for_valid_values(string settings) => Clean(Service($$"""[DistributedLock("jobs:{id}", TtlMs = 1000, {{settings}})]"""));

    // RLK0004 (a warning: the wrapper is still generated and works)
    [Fact]
    public Task RLK0004_max_hold_without_auto_extend() =>
        new AnalyzerTest(Usings + Service("""[DistributedLock("jobs:{id}", TtlMs = 1000, AutoExtend = false, {|RLK0004:MaxHoldMs = 5000|})]"""), compilesCleanly: true).RunAsync();

    [Theory]
    [InlineData("AutoExtend = true, MaxHoldMs = 5000")]
    [InlineData("AutoExtend = false")]
    [InlineData("AutoExtend = false, MaxHoldMs = 0")]
    public Task RLK0004_not_otherwise(string settings) => Clean(Service($$"""[DistributedLock("jobs:{id}", TtlMs = 1000, {{settings}})]"""));

    // RLK0005
    [Theory]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:{id|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:}|}x", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:{}|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:{ }|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:{id:}|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:{id-x}|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0005:{i|}{d}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock({|RLK0005:""|}, TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock({|RLK0005:"jobs:\t{id"|}, TtlMs = 1000)]""")]
    public Task RLK0005_malformed_template(string attribute) => Fires(Service(attribute));

    [Theory]
    [InlineData("""[DistributedLock("jobs:{{literal}}:{id}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("a<b and c>d {id}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock(@"jobs\{ id }", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{count:D8}", TtlMs = 1000)]""")]
    public Task RLK0005_not_for_well_formed_templates(string attribute) => Clean(Service(attribute));

    // RLK0006
    [Theory]
    [InlineData("""[DistributedLock("jobs:{|RLK0006:{idd}|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0006:<Id>|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0006:{id.Nope}|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{|RLK0006:{count.Value}|}", TtlMs = 1000)]""")]
    [InlineData("""[DistributedLock("jobs:{id}:{|RLK0006:{redlock}|}", TtlMs = 1000)]""")]
    public Task RLK0006_unknown_placeholder(string attribute) => Fires(Service(attribute));

    [Fact]
    public Task RLK0006_not_for_parameters_and_member_chains() => Clean("""
        public sealed class Customer { public string Name { get; set; } = ""; internal int Id = 0; private int Secret = 1; public int Peek() => Secret; }
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("c:{customer.Name.Length}:{customer.Id}:<when>:{when.Year:D4}", TtlMs = 1000)]
            public partial Task RunAsync(Customer customer, DateTime? when);

            private Task RunAsyncCore(Customer customer, DateTime? when) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0006_private_member_of_another_type() => Fires("""
        public sealed class Customer { private int Secret = 1; public int Peek() => Secret; }
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("c:{|RLK0006:{customer.Secret}|}", TtlMs = 1000)]
            public partial Task RunAsync(Customer customer);

            private Task RunAsyncCore(Customer customer) => Task.CompletedTask;
        }
        """);

    // RLK0007
    [Theory]
    [InlineData("void")]
    [InlineData("int")]
    [InlineData("System.Collections.Generic.IAsyncEnumerable<int>")]
    public Task RLK0007_not_awaitable(string returnType) =>
        Fires(Service("""[DistributedLock("jobs:{id}", TtlMs = 1000)]""", $$"""public partial {|RLK0007:{{returnType}}|} RunAsync(string id, int count);"""));

    [Theory]
    [InlineData("Task", "Task.CompletedTask")]
    [InlineData("ValueTask", "default")]
    [InlineData("Task<int>", "Task.FromResult(1)")]
    [InlineData("ValueTask<int>", "new ValueTask<int>(1)")]
    public Task RLK0007_not_for_task_and_value_task(string returnType, string body) => Clean($$"""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial {{returnType}} RunAsync(string id);

            private {{returnType}} RunAsyncCore(string id) => {{body}};
        }
        """);

    // RLK0008
    [Fact]
    public Task RLK0008_skip_with_result() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000, {|RLK0008:OnBusy = OnBusy.Skip|})]
            public partial Task<int> RunAsync(string id);

            private Task<int> RunAsyncCore(string id) => Task.FromResult(1);
        }
        """);

    [Fact]
    public Task RLK0008_not_for_skip_without_result_or_throw_with_result() => Clean("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial ValueTask RunAsync(string id);

            [DistributedLock("jobs:{id}", TtlMs = 1000, OnBusy = OnBusy.Throw)]
            public partial Task<int> CountAsync(string id);

            private ValueTask RunAsyncCore(string id) => default;

            private Task<int> CountAsyncCore(string id) => Task.FromResult(1);
        }
        """);

    [Fact]
    public Task RLK0008_skip_with_a_bool_the_body_returns() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000, {|RLK0008:OnBusy = OnBusy.Skip|})]
            public partial Task<bool> RunAsync(string id);

            private Task<bool> RunAsyncCore(string id) => Task.FromResult(true);
        }
        """);

    [Fact]
    public Task RLK0008_skip_with_a_result_other_than_bool_even_over_a_plain_body() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000, {|RLK0008:OnBusy = OnBusy.Skip|})]
            public partial Task<int> RunAsync(string id);

            private Task {|RLK0016:RunAsyncCore|}(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0008_not_for_skip_whose_bool_says_whether_the_body_ran() => Clean("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial Task<bool> RunAsync(string id);

            [DistributedLock("jobs:{id}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial ValueTask<bool> RunValueAsync(string id, CancellationToken ct);

            [DistributedLock("jobs:{id}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial Task<bool> RunOverValueTaskAsync(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;

            private ValueTask RunValueAsyncCore(string id, CancellationToken ct) => default;

            private ValueTask RunOverValueTaskAsyncCore(string id) => default;
        }
        """);

    [Fact]
    public Task RLK0015_skip_result_method_expects_a_plain_task_body() => new AnalyzerTest(Usings + """
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000, OnBusy = OnBusy.Skip)]
            public partial Task<bool> {|#0:RunAsync|}(string id);
        }
        """, compilesCleanly: false)
    {
        ExpectedDiagnostics =
        {
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("RLK0015", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithArguments("RunAsync", "RunAsyncCore", "add 'System.Threading.Tasks.Task RunAsyncCore(string id)', optionally with one more trailing RedlockLease parameter"),
        },
    }.RunAsync();

    // RLK0009
    [Fact]
    public Task RLK0009_not_partial() =>
        Fires(Service("""[DistributedLock("jobs:{id}", TtlMs = 1000)]""", "public Task {|RLK0009:RunAsync|}(string id, int count) => Task.CompletedTask;"));

    [Fact]
    public Task RLK0009_attribute_on_the_implementing_declaration() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            public partial Task RunAsync(string id);

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0009:RunAsync|}(string id) => Task.CompletedTask;

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0009_user_wrote_the_implementation_too() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0009:RunAsync|}(string id);

            public partial Task RunAsync(string id) => Task.CompletedTask;

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    // RLK0010
    [Fact]
    public Task RLK0010_type_not_partial_reported_once_for_two_methods() => Fires("""
        public sealed class {|RLK0010:Service|}(IRedlock redlock)
        {
            [DistributedLock("a:{id}", TtlMs = 1000)]
            public partial Task RunAsync(string id);

            [DistributedLock("b:{id}", TtlMs = 1000)]
            public partial Task StopAsync(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;

            private Task StopAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0010_enclosing_type_not_partial() => Fires("""
        public class {|RLK0010:Outer|}
        {
            public partial class Inner(IRedlock redlock)
            {
                [DistributedLock("a:{id}", TtlMs = 1000)]
                public partial Task RunAsync(string id);

                private Task RunAsyncCore(string id) => Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task RLK0010_not_for_partial_nesting() => Clean("""
        public partial class Outer
        {
            public partial struct Inner
            {
                private static readonly IRedlock Engine = null!;

                [DistributedLock("a:{id}", TtlMs = 1000)]
                public static partial Task RunAsync(string id);

                private static Task RunAsyncCore(string id) => Task.CompletedTask;
            }
        }
        """);

    // RLK0011
    [Theory]
    [InlineData("ref")]
    [InlineData("out")]
    [InlineData("in")]
    public Task RLK0011_by_ref_parameter(string modifier) => Fires($$"""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs", TtlMs = 1000)]
            public partial Task RunAsync({|RLK0011:{{modifier}}|} int count);

            private Task RunAsyncCore(int count) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0011_not_for_params_arrays() => Clean("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{first}", TtlMs = 1000)]
            public partial Task RunAsync(string first, params int[] rest);

            private Task RunAsyncCore(string first, int[] rest) => Task.CompletedTask;
        }
        """);

    // RLK0012
    [Fact]
    public Task RLK0012_no_engine() => Fires("""
        public sealed partial class Service
        {
            private readonly object _notAnEngine = new();

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0012:RunAsync|}(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0012_private_field_of_base_class_is_not_an_engine() => Fires("""
        public class Base { private readonly IRedlock? _hidden = null; public object? Peek() => _hidden; }
        public sealed partial class Service : Base
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0012:RunAsync|}(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0012_not_for_protected_engine_in_base_class() => Clean("""
        public abstract class Base(IRedlock redlock) { protected IRedlock Engine { get; } = redlock; }
        public sealed partial class Service(IRedlock redlock) : Base(redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task RunAsync(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    // RLK0013
    [Fact]
    public Task RLK0013_several_engines() => Fires("""
        public sealed partial class Service(IRedlock primary, IRedlock secondary)
        {
            private readonly IRedlock _primary = primary;
            private IRedlock Secondary { get; } = secondary;

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0013:RunAsync|}(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0013_several_primary_constructor_parameters() => Fires("""
        public sealed partial class Service(IRedlock primary, IRedlock secondary)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0013:RunAsync|}(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;

            public object Both() => (primary, secondary);
        }
        """);

    [Fact]
    public Task RLK0013_not_for_a_field_initialized_from_the_parameter() => Clean("""
        public sealed partial class Service(IRedlock redlock)
        {
            private readonly IRedlock _redlock = redlock;

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task RunAsync(string id);

            private Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    // RLK0014
    [Fact]
    public Task RLK0014_static_method_without_static_engine() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public static partial Task {|RLK0014:RunAsync|}(string id);

            private static Task RunAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RLK0014_not_for_static_engine() => Clean("""
        public sealed partial class Service
        {
            internal static IRedlock Engine = null!;

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public static partial Task RunAsync(string id);

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task RunInstanceAsync(string id);

            private static Task RunAsyncCore(string id) => Task.CompletedTask;

            private Task RunInstanceAsyncCore(string id) => Task.CompletedTask;
        }
        """);

    // RLK0015
    [Fact]
    public Task RLK0015_core_missing() => Fires("""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task {|RLK0015:RunAsync|}(string id);
        }
        """);

    // RLK0016
    [Theory]
    [InlineData("private Task {|RLK0016:RunAsyncCore|}(int count, string id) => Task.CompletedTask;")]
    [InlineData("private Task {|RLK0016:RunAsyncCore|}(string id) => Task.CompletedTask;")]
    [InlineData("private Task<int> {|RLK0016:RunAsyncCore|}(string id, int count) => Task.FromResult(1);")]
    [InlineData("private void {|RLK0016:RunAsyncCore|}(string id, int count) { }")]
    [InlineData("private Task {|RLK0016:RunAsyncCore|}(string id, int count, CancellationToken ct) => Task.CompletedTask;")]
    [InlineData("private Task {|RLK0016:RunAsyncCore|}(string id, ref int count) => Task.CompletedTask;")]
    [InlineData("private Task {|RLK0016:RunAsyncCore|}<T>(string id, int count) => Task.CompletedTask;")]
    public Task RLK0016_core_mismatch(string core) => Fires($$"""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task RunAsync(string id, int count);

            {{core}}
        }
        """);

    [Fact]
    public Task RLK0016_static_wrapper_needs_static_core() => Fires("""
        public partial class Jobs
        {
            private static readonly IRedlock Engine = null!;

            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public static partial Task RunAsync(string id);

            private Task {|RLK0016:RunAsyncCore|}(string id) => Task.CompletedTask;
        }
        """);

    [Theory]
    [InlineData("private async Task RunAsyncCore(string id, int count, RedlockLease lease) => await Task.Yield();")]
    [InlineData("private static ValueTask RunAsyncCore(string id, int count) => default;")]
    public Task RLK0016_not_for_lease_parameter_or_value_task_body(string core) => Clean($$"""
        public sealed partial class Service(IRedlock redlock)
        {
            [DistributedLock("jobs:{id}", TtlMs = 1000)]
            public partial Task RunAsync(string id, int count);

            {{core}}
        }
        """);

    // RLK0017
    private static string Accounts(string debitAttribute, string transferBody, string transferKey = "acct:{from}") => $$"""
        public sealed partial class Accounts(IRedlock redlock)
        {
            [DistributedLock("{{transferKey}}", TtlMs = 1000)]
            public partial Task TransferAsync(string from, string to, int amount);

            {{debitAttribute}}
            public partial Task DebitAsync(string id, int amount);

            private async Task TransferAsyncCore(string from, string to, int amount)
            {
                {{transferBody}}
            }

            private Task DebitAsyncCore(string id, int amount) => Task.CompletedTask;
        }
        """;

    [Fact]
    public Task RLK0017_core_calls_a_non_reentrant_method_whose_key_can_match() => Fires(Accounts(
        """[DistributedLock("acct:{id}", TtlMs = 1000, Reentrant = false)]""",
        "await {|RLK0017:DebitAsync(from, amount)|};"));

    [Fact]
    public Task RLK0017_also_inside_a_lambda_in_the_body() => Fires(Accounts(
        """[DistributedLock("acct:{id}", TtlMs = 1000, Reentrant = false)]""",
        "await Task.Run(() => {|RLK0017:DebitAsync(to, amount)|});"));

    [Theory]
    [InlineData("""[DistributedLock("acct:{id}", TtlMs = 1000)]""", "acct:{from}")]
    [InlineData("""[DistributedLock("acct:{id}", TtlMs = 1000, Reentrant = true)]""", "acct:{from}")]
    [InlineData("""[DistributedLock("audit:{id}", TtlMs = 1000, Reentrant = false)]""", "acct:{from}")]
    [InlineData("""[DistributedLock("acct:{id}:debit", TtlMs = 1000, Reentrant = false)]""", "acct:{from}:credit")]
    [InlineData("""[DistributedLock("acct:a", TtlMs = 1000, Reentrant = false)]""", "acct:b")]
    [InlineData("""[DistributedLock("x:{id}", TtlMs = 1000, Reentrant = false)]""", "acct:all")]
    public Task RLK0017_not_when_reentrant_or_the_keys_cannot_match(string debitAttribute, string transferKey) =>
        Clean(Accounts(debitAttribute, "await DebitAsync(from, amount);", transferKey));

    [Fact]
    public Task RLK0017_not_from_a_method_that_is_not_a_body() => Clean("""
        public sealed partial class Accounts(IRedlock redlock)
        {
            [DistributedLock("acct:{id}", TtlMs = 1000, Reentrant = false)]
            public partial Task DebitAsync(string id, int amount);

            private Task DebitAsyncCore(string id, int amount) => Task.CompletedTask;

            public Task PayAsync(string id) => DebitAsync(id, 1);
        }
        """);
}
