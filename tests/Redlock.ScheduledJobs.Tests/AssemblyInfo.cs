// The tests share node groups and some measure real time (auto-extension, key expiry); one at a time keeps a
// 2-core machine from starving the timers they depend on.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
