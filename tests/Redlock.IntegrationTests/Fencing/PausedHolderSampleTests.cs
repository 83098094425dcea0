using AccountTransfers;
using AccountTransfers.Configuration;
using RedlockAspects.IntegrationTests.Infrastructure;
using RedlockAspects.Testing;

namespace RedlockAspects.IntegrationTests.Fencing;

/// <summary>The AccountTransfers sample's <c>--pause-holder</c> run: Kleppmann's paused holder, with and without fencing.</summary>
public class PausedHolderSampleTests
{
    private static async Task<(int Exit, string Output)> RunAsync(RedisBackend backend, bool fencing)
    {
        await using var locks = await RedisTestNodes.StartAsync(backend, 3);
        await using var ledger = await RedisTestNodes.StartAsync(backend, 1);
        var settings = new TransferSettings
        {
            PauseHolder = true,
            NoFencing = !fencing,
            Nodes = string.Join(",", locks.ConnectionStrings),
            Ledger = ledger.ConnectionStrings[0],
        };
        using var output = new StringWriter();
        var exit = await BankRun.RunAsync(settings, output, CancellationToken.None);
        return (exit, output.ToString());
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task With_fencing_the_stale_write_is_refused_and_the_balance_adds_up(RedisBackend backend)
    {
        var (exit, output) = await RunAsync(backend, fencing: true);

        Assert.Contains("stale write (token 1) of 100.00: 1000.00 -> 1100.00: refused by the ledger", output);
        Assert.Contains("holder 2  took the lock (token 2)", output);
        Assert.Contains("balance 1050.00 = opening 1000.00 + accepted deposits 50.00: conserved", output);
        Assert.Equal(BankRun.Conserved, exit);
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public async Task Without_fencing_the_stale_write_lands_over_the_newer_one(RedisBackend backend)
    {
        var (exit, output) = await RunAsync(backend, fencing: false);

        Assert.Contains("stale write of 100.00: 1000.00 -> 1100.00: LANDED", output);
        Assert.Contains("NOT conserved", output);
        Assert.Equal(BankRun.NotConserved, exit);
    }
}
