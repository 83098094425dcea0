using System.Globalization;

namespace ScheduledJobs.Configuration;

// Turns "--period 5" into the cron expression a real service would have in its config ("*/5 * * * * *").
public static class ScheduleForPeriod
{
    public static string Cron(double periodSeconds)
    {
        var period = TimeSpan.FromSeconds(periodSeconds);
        if (period.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"--period {periodSeconds.ToString(CultureInfo.InvariantCulture)}: use whole seconds, or give --cron.");
        }

        var seconds = (int)period.TotalSeconds;
        if (seconds < 60 && 60 % seconds == 0)
        {
            return seconds == 1 ? "* * * * * *" : $"*/{seconds} * * * * *";
        }

        if (seconds % 60 == 0 && seconds / 60 < 60 && 60 % (seconds / 60) == 0)
        {
            var minutes = seconds / 60;
            return minutes == 1 ? "0 * * * * *" : $"0 */{minutes} * * * *";
        }

        throw new ArgumentException($"--period {seconds}: a cron schedule can only repeat every divisor of a minute or of an hour; give --cron instead.");
    }
}
