using BenchmarkDotNet.Attributes;
using Medallion.Threading.Redis;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using StackExchange.Redis;

namespace RedlockAspects.Benchmarks;

/// <summary>
/// One uncontended acquire + release of one resource on 3 nodes, for each library, against the raw commands
/// (parallel SET NX PX, then parallel compare-and-delete) as the baseline.
/// </summary>
[MemoryDiagnoser]
public class UncontendedAcquireRelease
{
    private const string CompareAndDelete = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly RedlockAcquireOptions Fenced = new() { Fencing = true };
    private static readonly RedlockAcquireOptions FairQueue = new() { Fair = true };

    private BenchmarkNodes _nodes = null!;
    private RedlockEngine _engine = null!;
    private RedlockEngine _described = null!;
    private RedLockFactory _redLockNet = null!;
    private RedisDistributedLock _distributedLock = null!;
    private RedisKey[] _rawKey = null!;
    private long _counter;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _nodes = await BenchmarkNodes.StartAsync();
        _engine = _nodes.CreateEngine();
        _described = _nodes.CreateEngine(o => o.HolderName = "benchmark");
        _redLockNet = RedLockFactory.Create(_nodes.Connections.Select(c => new RedLockMultiplexer(c)).ToList());
        _distributedLock = new RedisDistributedLock("bench:distributedlock", _nodes.Databases);
        _rawKey = ["bench:raw"];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _redLockNet.Dispose();
        await _engine.DisposeAsync();
        await _described.DisposeAsync();
        await _nodes.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "raw commands")]
    public async Task RawCommands()
    {
        RedisValue token = Interlocked.Increment(ref _counter).ToString();
        var dbs = _nodes.Databases;
        await Task.WhenAll(
            dbs[0].StringSetAsync(_rawKey[0], token, Ttl, When.NotExists),
            dbs[1].StringSetAsync(_rawKey[0], token, Ttl, When.NotExists),
            dbs[2].StringSetAsync(_rawKey[0], token, Ttl, When.NotExists));
        await Task.WhenAll(
            dbs[0].ScriptEvaluateAsync(CompareAndDelete, _rawKey, [token]),
            dbs[1].ScriptEvaluateAsync(CompareAndDelete, _rawKey, [token]),
            dbs[2].ScriptEvaluateAsync(CompareAndDelete, _rawKey, [token]));
    }

    [Benchmark(Description = "RedlockAspects")]
    public async Task RedlockAspects()
    {
        var lease = await _engine.AcquireAsync("bench:ours", Ttl);
        await lease.DisposeAsync();
    }

    [Benchmark(Description = "RedlockAspects fenced")]
    public async Task RedlockAspectsFenced()
    {
        var lease = await _engine.AcquireAsync("bench:ours-fenced", Ttl, Fenced);
        await lease.DisposeAsync();
    }

    /// <summary>With <see cref="RedlockOptions.HolderName"/>: the holder description written and deleted with the lock.</summary>
    [Benchmark(Description = "RedlockAspects described")]
    public async Task RedlockAspectsDescribed()
    {
        var lease = await _described.AcquireAsync("bench:ours-described", Ttl);
        await lease.DisposeAsync();
    }

    [Benchmark(Description = "RedlockAspects fair")]
    public async Task RedlockAspectsFair()
    {
        var lease = await _engine.AcquireAsync("bench:ours-fair", Ttl, FairQueue);
        await lease.DisposeAsync();
    }

    [Benchmark(Description = "RedLock.net 2.3.2")]
    public async Task RedLockNet()
    {
        await using var redLock = await _redLockNet.CreateLockAsync("bench:redlocknet", Ttl);
        if (!redLock.IsAcquired)
        {
            throw new InvalidOperationException("RedLock.net did not acquire an uncontended lock");
        }
    }

    [Benchmark(Description = "DistributedLock.Redis 1.1.1")]
    public async Task DistributedLockRedis()
    {
        await using var handle = await _distributedLock.AcquireAsync();
    }
}
