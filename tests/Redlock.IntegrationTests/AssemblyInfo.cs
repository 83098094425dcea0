// Integration tests start real servers and some measure timeouts and expiry; running them one class at a time keeps
// a 2-core machine from starving the timers they check.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
