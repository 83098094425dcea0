using System.Security.Cryptography;

namespace RedlockAspects.Algorithm;

/// <summary>Makes lock tokens: 128 bits from a cryptographic source, as lowercase hex (the form node <c>redlock</c> uses).</summary>
internal static class LockToken
{
    public const int Bits = 128;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Bits / 8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
