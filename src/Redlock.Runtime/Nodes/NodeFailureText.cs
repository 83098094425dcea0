using System.Globalization;
using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// A node failure in a few words, for logs and health reports. The client's own messages run to hundreds of characters of
/// connection internals; an operator needs the kind of failure and the socket's reason.
/// </summary>
internal static class NodeFailureText
{
    public static string Of(NodeReply reply) => reply.Exception is { } e ? Of(e) : reply.Detail ?? reply.State.ToString();

    public static string Of(Exception exception) => exception switch
    {
        RedisConnectionException e when e.InnerException is { } inner && inner is not RedisException =>
            string.Create(CultureInfo.InvariantCulture, $"unreachable ({e.FailureType}: {inner.Message})"),
        RedisConnectionException e => string.Create(CultureInfo.InvariantCulture, $"unreachable ({e.FailureType})"),
        RedisTimeoutException => "timed out in the client",
        TimeoutException => "timed out",
        ObjectDisposedException => "the connection was disposed",
        RedisServerException e => "server error: " + e.Message,
        _ => exception.Message,
    };

    public static string NoAnswer(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalMilliseconds:0} ms");

    public static string TooSlow(TimeSpan roundTrip, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"answered in {roundTrip.TotalMilliseconds:0} ms, beyond the {timeout.TotalMilliseconds:0} ms timeout");

    public static string ConnectionLost(ConnectionFailureType failure) =>
        string.Create(CultureInfo.InvariantCulture, $"connection lost ({failure})");
}
