using Microsoft.Extensions.Time.Testing;
using RedlockAspects.Nodes;

namespace RedlockAspects.Tests.Nodes;

public class NodeHealthTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<NodeHealthChange> _changes = [];
    private readonly NodeHealth _health;

    public NodeHealthTests()
    {
        _health = new NodeHealth("10.0.0.1:6379");
        _health.Attach(_clock, (_, change) => _changes.Add(change));
    }

    [Fact]
    public void Only_changes_between_up_and_down_are_reported_not_every_observation()
    {
        for (var i = 0; i < 5; i++)
        {
            _health.Answered(_clock.GetTimestamp(), TimeSpan.FromMilliseconds(1));
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        for (var i = 0; i < 5; i++)
        {
            _health.Failed(_clock.GetTimestamp(), "unreachable (SocketFailure)");
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        _health.Answered(_clock.GetTimestamp(), TimeSpan.FromMilliseconds(2));

        Assert.Equal(
            [(RedlockNodeHealth.Unknown, RedlockNodeHealth.Up), (RedlockNodeHealth.Up, RedlockNodeHealth.Down), (RedlockNodeHealth.Down, RedlockNodeHealth.Up)],
            _changes.Select(c => (c.From, c.To)));
        Assert.Equal("unreachable (SocketFailure)", _changes[1].Detail);
        Assert.Equal(TimeSpan.FromSeconds(5), _changes[2].After);
    }

    [Fact]
    public void A_failure_of_a_command_sent_before_the_node_came_back_does_not_take_it_down_again()
    {
        _health.Failed(_clock.GetTimestamp(), "connection lost (SocketClosed)");
        var sentWhileDown = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromSeconds(1));
        _health.Answered(_clock.GetTimestamp(), null);
        _clock.Advance(TimeSpan.FromSeconds(1));

        _health.Failed(sentWhileDown, "unreachable (UnableToConnect)");

        Assert.Equal(RedlockNodeHealth.Up, _health.State);
        Assert.Null(_health.Snapshot().Detail);
    }

    [Fact]
    public void An_answer_to_a_command_sent_before_a_change_that_agrees_with_it_still_gives_the_round_trip()
    {
        var sent = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        _health.Answered(_clock.GetTimestamp(), null);
        _health.Answered(sent, TimeSpan.FromMilliseconds(5));

        var status = _health.Snapshot();
        Assert.Equal(RedlockNodeHealth.Up, status.Health);
        Assert.Equal(TimeSpan.FromMilliseconds(5), status.RoundTrip);
    }

    [Fact]
    public void A_node_is_stale_until_it_has_answered_a_command_and_again_once_its_last_word_is_older_than_the_limit()
    {
        Assert.True(_health.IsStale(TimeSpan.FromSeconds(5)));
        _health.Answered(_clock.GetTimestamp(), null);
        Assert.True(_health.IsStale(TimeSpan.FromSeconds(5)));

        _health.Answered(_clock.GetTimestamp(), TimeSpan.FromMilliseconds(1));
        Assert.False(_health.IsStale(TimeSpan.FromSeconds(5)));

        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(_health.IsStale(TimeSpan.FromSeconds(5)));
    }
}
