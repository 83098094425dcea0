namespace RedlockAspects;

/// <summary>
/// A distributed lock over one or more independent Redis nodes (Redlock; a quorum of N/2+1, or plain
/// <c>SET NX PX</c> on a single node). Register it with <c>services.AddRedlock(...)</c> (more engines with
/// <c>services.AddKeyedRedlock(key, ...)</c>); the
/// <see cref="DistributedLockAttribute"/> wrappers find it on the class.
/// </summary>
/// <remarks>
/// Acquisitions are reentrant within one async flow (unless <see cref="RedlockAcquireOptions.Reentrant"/> is off): a flow
/// that holds a live lease on the requested resources from the same engine gets that lease back at once, with one more
/// hold (<see cref="RedlockLease.HoldCount"/>); the lock is released when the last hold is. A multi-resource request that
/// overlaps what the flow holds without one lease covering all of it is refused with <see cref="RedlockOverlapException"/>.
/// </remarks>
public interface IRedlock
{
    /// <summary>Acquires the lock on <paramref name="resource"/>, retrying while it is busy.</summary>
    /// <param name="resource">The resource name; it is the Redis key (after the optional prefix).</param>
    /// <param name="ttl">How long the lock lives unless extended.</param>
    /// <param name="options">Per-call settings; <c>null</c> uses the engine's.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lease. Dispose it to release.</returns>
    /// <exception cref="RedlockBusyException">Another owner held it until the retries or the wait budget ran out.</exception>
    /// <exception cref="RedlockNoQuorumException">Too few nodes could take part; each node's reason is attached.</exception>
    Task<RedlockLease> AcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="AcquireAsync(string, TimeSpan, RedlockAcquireOptions?, CancellationToken)"/>, but returns <c>null</c> when the lock is busy.</summary>
    /// <param name="resource">The resource name.</param>
    /// <param name="ttl">How long the lock lives unless extended.</param>
    /// <param name="options">Per-call settings; <c>null</c> uses the engine's.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lease, or <c>null</c> when another owner holds the lock.</returns>
    /// <exception cref="RedlockNoQuorumException">Too few nodes could take part; each node's reason is attached.</exception>
    Task<RedlockLease?> TryAcquireAsync(string resource, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Acquires every resource or none, with one script call per node. On Redis Cluster the keys need a shared hash tag.</summary>
    /// <param name="resources">The resource names; at least one, no duplicates.</param>
    /// <param name="ttl">How long the lock lives unless extended.</param>
    /// <param name="options">Per-call settings; <c>null</c> uses the engine's.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lease over all resources.</returns>
    /// <exception cref="RedlockBusyException">Another owner held at least one resource until the retries or the wait budget ran out.</exception>
    /// <exception cref="RedlockNoQuorumException">Too few nodes could take part.</exception>
    /// <exception cref="RedlockOverlapException">This async flow holds some of the resources, but no one lease of it covers them all.</exception>
    Task<RedlockLease> AcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="AcquireAsync(IReadOnlyList{string}, TimeSpan, RedlockAcquireOptions?, CancellationToken)"/>, but returns <c>null</c> when busy.</summary>
    /// <param name="resources">The resource names; at least one, no duplicates.</param>
    /// <param name="ttl">How long the lock lives unless extended.</param>
    /// <param name="options">Per-call settings; <c>null</c> uses the engine's.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lease, or <c>null</c> when another owner holds any of the resources.</returns>
    /// <exception cref="RedlockNoQuorumException">Too few nodes could take part.</exception>
    /// <exception cref="RedlockOverlapException">This async flow holds some of the resources, but no one lease of it covers them all.</exception>
    Task<RedlockLease?> TryAcquireAsync(IReadOnlyList<string> resources, TimeSpan ttl, RedlockAcquireOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads who holds the lock on <paramref name="resource"/>, node by node: whether the key exists, its value (the
    /// holder's token), its remaining life, and the holder's description when its engine recorded one
    /// (<see cref="RedlockOptions.HolderName"/>); and overall whether a quorum agrees on one holder. Read-only; it takes
    /// and changes nothing, and sees locks taken by node <c>redlock</c> clients too.
    /// </summary>
    /// <param name="resource">The resource name, as passed to <c>AcquireAsync</c>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A snapshot; a node that times out or fails is reported in its state, not thrown.</returns>
    Task<RedlockInspection> InspectAsync(string resource, CancellationToken cancellationToken = default);
}
