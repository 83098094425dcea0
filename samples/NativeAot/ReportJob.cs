using System.Globalization;
using RedlockAspects;

namespace NativeAot;

// Runs the day's report once across instances; false when another instance holds the day.
public sealed partial class ReportJob(IRedlock redlock)
{
    public int Runs { get; private set; }

    public static string Resource(DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"reports:daily:{day:yyyy-MM-dd}");

    [DistributedLock("reports:daily:{day:yyyy-MM-dd}", TtlMs = 2000, WaitMs = 0, OnBusy = OnBusy.Skip)]
    public partial Task<bool> RunAsync(DateOnly day, CancellationToken ct = default);

    private async Task RunAsyncCore(DateOnly day, CancellationToken ct)
    {
        await Task.Delay(50, ct);
        Runs++;
    }
}
