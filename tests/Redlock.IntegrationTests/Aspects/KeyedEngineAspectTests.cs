using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Aspects;

/// <summary>Generated wrappers in classes that take a keyed engine with [FromKeyedServices], resolved by the container.</summary>
public class KeyedEngineAspectTests
{
    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task A_wrapper_locks_with_the_keyed_engine_its_constructor_received(RedisBackend backend)
    {
        await using var bed = await LockBed.StartAsync(backend, 3);
        var services = new ServiceCollection().AddSplitEngines(bed);
        services.AddSingleton<Invoicing>();
        services.AddSingleton<Refunds>();
        await using var provider = services.BuildServiceProvider();

        var invoicing = provider.GetRequiredService<Invoicing>();
        string?[]? invoiceKeys = null;
        invoicing.WhileHolding = async () => invoiceKeys = await bed.ValuesAsync("invoice:inv-1");
        var refunds = provider.GetRequiredService<Refunds>();
        string?[]? refundKeys = null;
        refunds.WhileHolding = async () => refundKeys = await bed.ValuesAsync("refund:ref-1");

        Assert.Equal("issued inv-1", await invoicing.IssueAsync("inv-1"));
        await refunds.RefundAsync("ref-1");

        foreach (var keys in new[] { invoiceKeys, refundKeys })
        {
            Assert.NotNull(keys);
            Assert.Null(keys![0]);
            Assert.NotNull(keys[1]);
            Assert.Equal(keys[1], keys[2]);
        }

        await bed.GoneEverywhereAsync("invoice:inv-1");
        await bed.GoneEverywhereAsync("refund:ref-1");
    }
}
