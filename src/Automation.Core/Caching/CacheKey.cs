using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Core.Caching;

/// <summary>
/// The name of a cache entry: a hash of everything that determines a script's result. Parts are length-prefixed
/// before hashing so that ["ab", "c"] and ["a", "bc"] cannot collide.
/// </summary>
public static class CacheKey
{
    /// <summary>Hex characters in a computed key: 64 bits, CM's UID width; collisions need ~4e9 entries.</summary>
    public const int Length = 16;

    public static string Compute(IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> prefix = stackalloc byte[sizeof(long)];
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt64LittleEndian(prefix, bytes.Length);
            sha.AppendData(prefix);
            sha.AppendData(bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..Length];
    }

    /// <summary>Keys double as folder names, so only 8–64 lowercase hex characters are accepted (no path tricks).</summary>
    public static bool IsValid(string? key) => key is { Length: >= 8 and <= 64 } && IsHex(key);

    internal static bool IsHex(string text) => text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
