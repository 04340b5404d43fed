using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Automation.Core.Actions;

/// <summary>
/// Decompresses a gzip file and, when the data ends, checks what .NET's GZipStream does not: that the file is whole.
/// GZipStream (zlib) verifies a member's trailer (CRC-32 and size of its data) only when the trailer is there; a file
/// cut anywhere in its last member just ends early, as if complete. So at the end the last 8 bytes of the file must be
/// the trailer of the data: of all of it (one member, the usual case), or else of a suffix as long as the trailer's
/// size says (several members, as pigz -i or bgzip write), checked by decompressing a second time. Anything else
/// throws <see cref="InvalidDataException"/>. Trailing zero bytes pass, as gzip lets them.
/// </summary>
internal sealed class VerifiedGzipStream : ReadOnlyStream
{
    private const int TrailerSize = 8;
    private const int SmallestMember = 18; // 10-byte header, an empty deflate block needs 2 more, trailer
    private readonly string _path;
    private readonly uint _trailerCrc;
    private readonly uint _trailerSize;
    private readonly Crc32Stream _data;
    private bool _verified;

    public VerifiedGzipStream(string path)
    {
        _path = path;
        var file = File.OpenRead(path);
        try
        {
            if (file.Length < SmallestMember) throw Truncated($"{file.Length} bytes are fewer than any gzip file holds");
            Span<byte> trailer = stackalloc byte[TrailerSize];
            file.Seek(-TrailerSize, SeekOrigin.End);
            file.ReadExactly(trailer);
            file.Seek(0, SeekOrigin.Begin);
            _trailerCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            _trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _data = new Crc32Stream(new GZipStream(file, CompressionMode.Decompress));
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _data.Read(buffer);
        if (read == 0 && buffer.Length > 0 && !_verified)
        {
            Verify(_data.BytesRead, _data.Crc);
            _verified = true;
        }
        return read;
    }

    private void Verify(long total, uint crc)
    {
        if (crc == _trailerCrc && (uint)total == _trailerSize) return;
        // Several members: the last one's data is a suffix whose length is the trailer's size modulo 2^32.
        var starts = new List<long>();
        for (var length = (long)_trailerSize; length < total; length += 1L << 32) starts.Add(total - length);
        if (starts.Count > 0 && SuffixCrcs(starts).Any(c => c == _trailerCrc)) return;
        throw Truncated("the gzip trailer (CRC-32 and size) does not match the data, so the file is cut short or damaged; gzip -t rejects it too");
    }

    /// <summary>CRC-32 of the decompressed data from each start offset to the end, in one more pass.</summary>
    private uint[] SuffixCrcs(List<long> starts)
    {
        var crcs = starts.Select(_ => new Crc32()).ToArray();
        using var data = new GZipStream(File.OpenRead(_path), CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        long position = 0;
        int read;
        while ((read = data.Read(buffer)) > 0)
        {
            for (var i = 0; i < starts.Count; i++)
            {
                var from = starts[i] - position;
                if (from < read) crcs[i].Append(buffer.AsSpan((int)Math.Max(0, from), read - (int)Math.Max(0, from)));
            }
            position += read;
        }
        return crcs.Select(c => c.GetCurrentHashAsUInt32()).ToArray();
    }

    private static InvalidDataException Truncated(string why) => new(why);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _data.Dispose();
        base.Dispose(disposing);
    }
}
