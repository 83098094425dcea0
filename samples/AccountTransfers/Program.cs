using AccountTransfers;
using AccountTransfers.Configuration;
using Microsoft.Extensions.Configuration;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(TransferSettings.Normalize(args), TransferSettings.Switches)
    .Build();

TransferSettings settings;
try
{
    settings = configuration.GetSection(TransferSettings.Section).Get<TransferSettings>() ?? new TransferSettings();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return BankRun.BadOptions;
}

if (settings.Help)
{
    Console.WriteLine(TransferSettings.Usage);
    return BankRun.Conserved;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await BankRun.RunAsync(settings, Console.Out, cancel.Token);
