using RedlockAspects.Testing;

namespace RedlockAspects.Testing.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCaptureCollection
{
    // Captures the process-wide Console, so nothing else may run at the same time.
    public const string Name = "Console capture";
}

[Collection(ConsoleCaptureCollection.Name)]
public sealed class QuietStartTests
{
    [Fact]
    public async Task Starting_Garnet_prints_nothing_to_the_console()
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        Console.SetError(captured);
        try
        {
            await using var nodes = await RedisTestNodes.StartAsync(RedisBackend.Garnet, 2, new RedisTestNodesOptions { FaultProxy = true });
            await nodes.Nodes[0].KillAsync();
            await nodes.Nodes[0].RestartAsync();
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }

        Assert.Equal(string.Empty, captured.ToString());
    }
}
