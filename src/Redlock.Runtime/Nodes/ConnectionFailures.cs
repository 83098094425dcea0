using System.Security.Authentication;
using StackExchange.Redis;

namespace RedlockAspects.Nodes;

/// <summary>
/// Says in one line why a node could not be reached when the cause is its credentials or its certificate, which the
/// client buries a level or two down under "No connection is active/available". Never shows the password: only the
/// server's own error text and the TLS library's reason.
/// </summary>
internal static class ConnectionFailures
{
    public static string Describe(RedisConnectionException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException tls)
            {
                return $"TLS handshake failed: {tls.Message} (check ssl=true, sslHost= and that this machine trusts the node's certificate)";
            }

            if (e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } auth)
            {
                var reason = Innermost(auth);
                if (reason is AuthenticationException inner)
                {
                    return $"TLS handshake failed: {inner.Message} (check ssl=true, sslHost= and that this machine trusts the node's certificate)";
                }

                return $"authentication failed: the node refused the password (or user) of its connection string ({reason.Message})";
            }
        }

        return exception.Message;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
