using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace RedlockAspects.Algorithm;

/// <summary>
/// Writes and reads the holder description stored beside a lock: a small JSON object
/// (<c>{"token":"…","name":"billing-worker","host":"web-1","pid":4242,"acquired":1795000000000}</c>) that a person can also
/// read with <c>redis-cli GET</c>. The token ties it to one grant: a description whose token differs from the lock key's
/// value belongs to an earlier holder and is ignored.
/// </summary>
internal sealed class HolderDescription
{
    private readonly string _prefix;

    /// <param name="name">The user's <see cref="RedlockOptions.HolderName"/>.</param>
    public HolderDescription(string name)
    {
        // Everything but the token and the time is fixed for the engine's life: encode it once.
        _prefix = "{\"name\":" + Quoted(name) + ",\"host\":" + Quoted(Environment.MachineName) +
            ",\"pid\":" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ",\"token\":\"";
    }

    /// <summary>The stored value for one grant.</summary>
    public RedisValue For(string token, DateTimeOffset acquiredAt) =>
        _prefix + token + "\",\"acquired\":" + acquiredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "}";

    /// <summary>
    /// Reads a stored description; <c>null</c> when there is none, it is not one of ours, or it belongs to another token
    /// than <paramref name="token"/>.
    /// </summary>
    public static RedlockHolder? Parse(string? stored, string? token)
    {
        if (string.IsNullOrEmpty(stored) || token is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(stored);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("token", out var owner) ||
                owner.ValueKind != JsonValueKind.String || owner.GetString() != token)
            {
                return null;
            }

            return new RedlockHolder(
                Text(root, "name"),
                Text(root, "host"),
                root.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var processId) ? processId : null,
                root.TryGetProperty("acquired", out var acquired) && acquired.TryGetInt64(out var ms) && ms is >= 0 and <= 253402300799999
                    ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                    : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Quoted(string text) => "\"" + JsonEncodedText.Encode(text).ToString() + "\"";
}
