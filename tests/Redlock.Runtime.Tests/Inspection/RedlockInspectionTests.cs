namespace RedlockAspects.Tests.Inspection;

/// <summary>The verdict an inspection draws from the nodes' views (the integration tests read real nodes).</summary>
public class RedlockInspectionTests
{
    private static RedlockNodeInspection Held(string token, int ms, RedlockHolder? holder = null) =>
        new("n", RedlockInspectionState.Held, token, TimeSpan.FromMilliseconds(ms), holder);

    private static readonly RedlockNodeInspection Free = new("n", RedlockInspectionState.Free);
    private static readonly RedlockNodeInspection Down = new("n", RedlockInspectionState.Unreachable, Detail: "refused");

    [Fact]
    public void A_quorum_on_one_token_is_the_holder_and_its_life_is_the_quorum_th_longest()
    {
        var holder = new RedlockHolder("worker", "host", 1, null);
        var inspection = new RedlockInspection("r", "r", 3, [Held("a", 900), Held("a", 500, holder), Held("b", 2000), Held("a", 700), Free]);

        Assert.True(inspection.IsHeld);
        Assert.False(inspection.IsFree);
        Assert.Equal("a", inspection.Token);
        Assert.Same(holder, inspection.Holder);
        Assert.Equal(TimeSpan.FromMilliseconds(500), inspection.RemainingTtl);
    }

    [Fact]
    public void Disagreeing_nodes_are_neither_held_nor_free()
    {
        var inspection = new RedlockInspection("r", "r", 2, [Held("a", 900), Held("b", 900), Free]);

        Assert.False(inspection.IsHeld);
        Assert.False(inspection.IsFree);
        Assert.Null(inspection.Token);
        Assert.Null(inspection.RemainingTtl);
        Assert.Contains("undetermined", inspection.ToString());
    }

    [Fact]
    public void Nodes_that_cannot_answer_count_for_nothing()
    {
        Assert.True(new RedlockInspection("r", "r", 2, [Free, Free, Down]).IsFree);
        Assert.False(new RedlockInspection("r", "r", 2, [Free, Down, Down]).IsFree);
        Assert.False(new RedlockInspection("r", "r", 2, [Held("a", 1), Down, Down]).IsHeld);
    }

    [Fact]
    public void Keys_without_expiry_on_a_quorum_have_no_remaining_ttl()
    {
        var forever = new RedlockNodeInspection("n", RedlockInspectionState.Held, "a");

        Assert.Null(new RedlockInspection("r", "r", 2, [forever, forever, Held("a", 100)]).RemainingTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(100), new RedlockInspection("r", "r", 2, [forever, Held("a", 100), Free]).RemainingTtl);
    }

    [Fact]
    public void A_quorum_outside_the_node_count_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RedlockInspection("r", "r", 3, [Free, Free]));

        Assert.Equal("quorum", error.ParamName);
    }
}
