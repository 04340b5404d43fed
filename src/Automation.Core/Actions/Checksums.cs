using System.Security.Cryptography;
using Automation.Core.Errors;

namespace Automation.Core.Actions;

/// <summary>Lower-case hex digests of one file.</summary>
public sealed record FileDigests(string Sha256, string? Md5);

/// <summary>Streaming file hashes; both digests come from a single read of the file.</summary>
public static class Checksums
{
    private const int BufferSize = 1 << 20;

    /// <summary>One file's SHA-256 with a pooled buffer: cache entries hash many small files.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Hex(SHA256.HashData(stream));
    }

    public static string Md5(string path) => Compute(path, includeMd5: true).Md5!;

    public static FileDigests Compute(string path, bool includeMd5, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = includeMd5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, read);
            md5?.AppendData(buffer, 0, read);
        }
        return new FileDigests(Hex(sha.GetHashAndReset()), md5 is null ? null : Hex(md5.GetHashAndReset()));
    }

    /// <summary>
    /// Trims and lower-cases a user-supplied digest, accepting an "sha256:"-style prefix; a value of the wrong shape
    /// fails here, before any network traffic, instead of surfacing later as a confusing mismatch.
    /// </summary>
    public static string? NormalizeExpected(string? value, string algorithm, int hexLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim().ToLowerInvariant();
        if (text.StartsWith(algorithm + ":", StringComparison.Ordinal)) text = text[(algorithm.Length + 1)..];
        if (text.Length != hexLength || !text.All(Uri.IsHexDigit))
            throw new AutomationException(
                $"The expected {algorithm} '{value.Trim()}' is not {hexLength} hexadecimal digits",
                fix: $"Pass the {algorithm} exactly as '{algorithm}sum' prints it.");
        return text;
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
