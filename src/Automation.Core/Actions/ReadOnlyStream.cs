namespace Automation.Core.Actions;

/// <summary>The parts every forward-only, read-only stream here has in common: it reads, and nothing else.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public abstract override int Read(Span<byte> buffer);
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads what is left of <paramref name="stream"/>: the checks of compressed formats run at the very end of their data.</summary>
    public static void Drain(Stream stream)
    {
        var buffer = new byte[1 << 16];
        while (stream.Read(buffer) > 0) { }
    }
}
