using Microsoft.Extensions.Configuration;
using ScheduledJobs;
using ScheduledJobs.Configuration;

// Settings come from appsettings.json next to the program, then the environment, then the command line.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(DemoCommandLine.Normalize(args), DemoCommandLine.Switches)
    .Build();

DemoSettings settings;
try
{
    settings = configuration.GetSection(DemoSettings.Section).Get<DemoSettings>() ?? new DemoSettings();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return DemoRunner.BadOptions;
}

if (settings.Help)
{
    Console.WriteLine(DemoCommandLine.Help);
    return DemoRunner.ExactlyOnce;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop the instances and still print what happened so far.
    e.Cancel = true;
    cancel.Cancel();
};

return await DemoRunner.RunAsync(configuration, settings, Console.Out, cancel.Token);
