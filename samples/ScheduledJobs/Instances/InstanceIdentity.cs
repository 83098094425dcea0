namespace ScheduledJobs.Instances;

// Which instance of the service this host is ("A", "B", ...).
public sealed record InstanceIdentity(string Name);
