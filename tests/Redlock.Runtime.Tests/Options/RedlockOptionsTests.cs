namespace RedlockAspects.Tests.Options;

public class RedlockOptionsTests
{
    [Fact]
    public void Defaults_match_the_node_redlock_package()
    {
        var options = new RedlockOptions();

        Assert.Equal(0.01, options.DriftFactor);
        Assert.Equal(10, options.RetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryJitter);
        Assert.Null(options.KeyPrefix);
        Assert.Null(options.MaxWait);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(double.NaN)]
    public void DriftFactor_outside_zero_to_half_is_rejected_when_set(double value)
    {
        var options = new RedlockOptions();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.DriftFactor = value);

        Assert.Equal(nameof(RedlockOptions.DriftFactor), error.ParamName);
        Assert.Contains("[0, 0.5)", error.Message);
        Assert.Equal(0.01, options.DriftFactor);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.49)]
    public void DriftFactor_inside_the_range_is_kept(double value)
    {
        var options = new RedlockOptions { DriftFactor = value };

        Assert.Equal(value, options.DriftFactor);
    }

    [Fact]
    public void Negative_delays_are_rejected_when_set()
    {
        var options = new RedlockOptions();
        var negative = TimeSpan.FromMilliseconds(-1);

        Assert.Equal(nameof(RedlockOptions.RetryDelay), Assert.Throws<ArgumentOutOfRangeException>(() => options.RetryDelay = negative).ParamName);
        Assert.Equal(nameof(RedlockOptions.RetryJitter), Assert.Throws<ArgumentOutOfRangeException>(() => options.RetryJitter = negative).ParamName);
        Assert.Equal(nameof(RedlockOptions.MaxWait), Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxWait = negative).ParamName);
        Assert.Equal(nameof(RedlockOptions.MinValidity), Assert.Throws<ArgumentOutOfRangeException>(() => options.MinValidity = negative).ParamName);
    }

    [Fact]
    public void Timeouts_must_be_positive()
    {
        var options = new RedlockOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.NodeTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ReleaseTimeout = TimeSpan.Zero);
    }

    [Fact]
    public void RetryCount_accepts_minus_one_for_unbounded_and_rejects_less()
    {
        var options = new RedlockOptions { RetryCount = -1 };

        Assert.Equal(-1, options.RetryCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RetryCount = -2);
    }

    [Fact]
    public void Validate_without_nodes_says_how_to_fix_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RedlockOptions().Validate());

        Assert.Contains("No Redis nodes are configured", error.Message);
        Assert.Contains("Nodes", error.Message);
    }

    [Fact]
    public void Validate_names_a_blank_node()
    {
        var options = new RedlockOptions();
        options.Nodes.Add("localhost:6379");
        options.Nodes.Add(" ");

        var error = Assert.Throws<InvalidOperationException>(() => options.Validate());

        Assert.Contains("Nodes[1] is empty", error.Message);
    }

    [Fact]
    public void An_empty_key_prefix_means_no_prefix()
    {
        var options = new RedlockOptions { KeyPrefix = "" };

        Assert.Null(options.KeyPrefix);
    }

    [Fact]
    public void HolderName_is_off_by_default_an_empty_one_means_off_and_a_long_one_is_refused_with_its_length()
    {
        Assert.Null(new RedlockOptions().HolderName);
        Assert.Null(new RedlockOptions { HolderName = "" }.HolderName);
        Assert.Equal("billing-worker", new RedlockOptions { HolderName = "billing-worker" }.HolderName);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockOptions { HolderName = new string('x', 201) });

        Assert.Equal("HolderName", error.ParamName);
        Assert.Contains("201 characters", error.Message);
    }
}
