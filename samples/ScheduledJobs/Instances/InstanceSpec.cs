namespace ScheduledJobs.Instances;

// One instance as the demo sees it from outside: its name, how far its clock is off, and that clock. The instance
// itself only gets the clock; like a real machine, it does not know its own skew.
public sealed record InstanceSpec(string Name, TimeSpan Skew, TimeProvider Clock)
{
    public static string NameOf(int index) => ((char)('A' + index)).ToString();
}
