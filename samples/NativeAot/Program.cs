using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NativeAot;
using RedlockAspects;

// A Native AOT executable on RedlockAspects: the engine from configuration, a generated [DistributedLock] wrapper, and
// a Skip method whose bool says whether it ran. Nodes come from configuration, e.g. on the command line:
//   NativeAot --Redlock:Nodes:0=127.0.0.1:6379 --Redlock:Nodes:1=127.0.0.1:6380 --Redlock:Nodes:2=127.0.0.1:6381
// Prints what happened and exits 0 when every step did what it should.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRedlock(builder.Configuration.GetSection("Redlock"));
builder.Services.AddSingleton<ReportJob>();
using var host = builder.Build();

var redlock = host.Services.GetRequiredService<IRedlock>();
var job = host.Services.GetRequiredService<ReportJob>();
var day = DateOnly.FromDateTime(DateTime.UtcNow);

var ran = await job.RunAsync(day);
Console.WriteLine($"free: ran={ran}, runs={job.Runs}");

// Held by another async flow: within this one the job's acquisition would be reentrant.
var held = await Task.Run(() => redlock.AcquireAsync(ReportJob.Resource(day), TimeSpan.FromSeconds(30)));
var skipped = !await job.RunAsync(day);
Console.WriteLine($"held elsewhere: skipped={skipped}, runs={job.Runs}");
await held.ReleaseAsync();

var ok = ran && skipped && job.Runs == 1;
Console.WriteLine(ok ? "native aot: ok" : "native aot: FAILED");
return ok ? 0 : 1;
