using Microsoft.Extensions.DependencyInjection;
using RedlockAspects.IntegrationTests.Infrastructure;

namespace RedlockAspects.IntegrationTests.Aspects;

/// <summary>Takes the keyed engine (<see cref="SplitEngines.Key"/>) in its constructor and keeps it in a field, which the generated wrapper uses.</summary>
public sealed partial class Invoicing
{
    private readonly IRedlock _redlock;

    public Invoicing([FromKeyedServices(SplitEngines.Key)] IRedlock redlock) => _redlock = redlock;

    public Func<Task>? WhileHolding { get; set; }

    [DistributedLock("invoice:{invoiceId}", TtlMs = 2000)]
    public partial Task<string> IssueAsync(string invoiceId, CancellationToken ct = default);

    private async Task<string> IssueAsyncCore(string invoiceId, CancellationToken ct)
    {
        if (WhileHolding is { } hook)
        {
            await hook();
        }

        return "issued " + invoiceId;
    }
}

/// <summary>The same with a primary constructor: the wrapper uses the parameter.</summary>
public sealed partial class Refunds([FromKeyedServices(SplitEngines.Key)] IRedlock redlock)
{
    public Func<Task>? WhileHolding { get; set; }

    [DistributedLock("refund:{refundId}", TtlMs = 2000)]
    public partial Task RefundAsync(string refundId, CancellationToken ct = default);

    private async Task RefundAsyncCore(string refundId, CancellationToken ct)
    {
        if (WhileHolding is { } hook)
        {
            await hook();
        }
    }

    public override string ToString() => $"Refunds over {redlock}";
}
