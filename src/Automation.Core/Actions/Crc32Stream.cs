using System.IO.Hashing;

namespace Automation.Core.Actions;

/// <summary>A read-only pass-through that keeps the CRC-32 (the checksum gzip and zip record) and the count of the bytes read.</summary>
internal sealed class Crc32Stream(Stream inner) : ReadOnlyStream
{
    private readonly Crc32 _crc = new();

    public long BytesRead { get; private set; }
    public uint Crc => _crc.GetCurrentHashAsUInt32();

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _crc.Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
