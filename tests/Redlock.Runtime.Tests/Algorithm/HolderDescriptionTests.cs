using RedlockAspects.Algorithm;
using StackExchange.Redis;

namespace RedlockAspects.Tests.Algorithm;

public class HolderDescriptionTests
{
    [Fact]
    public void A_description_reads_back_with_name_host_process_and_time()
    {
        var acquired = new DateTimeOffset(2026, 11, 26, 10, 0, 0, 123, TimeSpan.Zero);
        var stored = new HolderDescription("billing \"eu\" é").For("abc123", acquired);

        var holder = HolderDescription.Parse(stored, "abc123");

        Assert.NotNull(holder);
        Assert.Equal("billing \"eu\" é", holder!.Name);
        Assert.Equal(Environment.MachineName, holder.Host);
        Assert.Equal(Environment.ProcessId, holder.ProcessId);
        Assert.Equal(acquired, holder.AcquiredAt);
    }

    [Fact]
    public void A_description_of_another_token_or_not_ours_is_ignored()
    {
        var stored = (string?)new HolderDescription("a").For("abc123", DateTimeOffset.UnixEpoch);

        Assert.Null(HolderDescription.Parse(stored, "other"));
        Assert.Null(HolderDescription.Parse("not json", "abc123"));
        Assert.Null(HolderDescription.Parse("[1,2]", "abc123"));
        Assert.Null(HolderDescription.Parse(null, "abc123"));
    }

    [Fact]
    public void The_holder_key_shares_the_lock_keys_cluster_slot()
    {
        Assert.Equal("{account:42}:redlock-holder", (string?)HolderKeys.For("account:42"));
        Assert.Equal("{order:7}:a:redlock-holder", (string?)HolderKeys.For("{order:7}:a"));

        var keys = HolderKeys.WithHolders([new RedisKey("a"), new RedisKey("b")]);

        Assert.Equal(["a", "b", "{a}:redlock-holder", "{b}:redlock-holder"], keys.Select(k => (string)k!));
    }
}
