using RedlockAspects.Algorithm;

namespace RedlockAspects.Tests.Algorithm;

public class LockTokenTests
{
    [Fact]
    public void A_token_is_128_bits_of_lowercase_hex()
    {
        var token = LockToken.New();

        Assert.Equal(32, token.Length);
        Assert.Matches("^[0-9a-f]{32}$", token);
    }

    [Fact]
    public void Tokens_do_not_repeat()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => LockToken.New()).ToHashSet();

        Assert.Equal(10_000, tokens.Count);
    }
}
