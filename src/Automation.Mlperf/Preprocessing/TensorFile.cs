using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Automation.Core.Errors;
using Automation.Core.Files;
using Microsoft.Win32.SafeHandles;

namespace Automation.Mlperf.Preprocessing;

/// <summary>Element types a tensor file may hold; the codes are ONNX's TensorProto.DataType so tools need no second table.</summary>
public enum TensorElementType : uint
{
    Float32 = 1,
    UInt8 = 2,
    Int32 = 6,
}

/// <summary>The header of a tensor file; <see cref="DataOffset"/> is where element 0 starts.</summary>
public sealed record TensorFileHeader(TensorElementType ElementType, int[] Shape, int DataOffset)
{
    public long ElementCount => Shapes.ElementCount(Shape.Select(d => (long)d));
    public int ElementSize => ElementType == TensorElementType.UInt8 ? 1 : 4;
    public long DataBytes => ElementCount * ElementSize;
}

/// <summary>
/// Our own raw tensor file: "ATNS", uint32 version (1), uint32 element type, uint32 rank, rank x int64 dims, zero padding
/// to a 64-byte boundary, then the elements row-major, little-endian. The padding keeps the payload aligned for
/// memory mapping and SIMD loads; everything is little-endian so files move between machines unchanged.
/// </summary>
public static class TensorFile
{
    private static ReadOnlySpan<byte> Magic => "ATNS"u8;
    private const uint Version = 1;
    private const int Alignment = 64;
    private const int MaxRank = 8;

    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<int> shape) =>
        Write(path, TensorElementType.Float32, MemoryMarshal.AsBytes(data), data.Length, shape);

    public static void Write(string path, ReadOnlySpan<byte> data, ReadOnlySpan<int> shape) =>
        Write(path, TensorElementType.UInt8, data, data.Length, shape);

    /// <summary>Class ids wider than a byte (ImageNet's 1000 classes).</summary>
    public static void Write(string path, ReadOnlySpan<int> data, ReadOnlySpan<int> shape) =>
        Write(path, TensorElementType.Int32, MemoryMarshal.AsBytes(data), data.Length, shape);

    public static TensorFileHeader ReadHeader(string path)
    {
        using var handle = OpenRead(path);
        return ReadHeader(handle, path);
    }

    public static (TensorFileHeader Header, float[] Data) ReadFloat32(string path) => ReadAll<float>(path, TensorElementType.Float32);

    public static (TensorFileHeader Header, byte[] Data) ReadUInt8(string path) => ReadAll<byte>(path, TensorElementType.UInt8);

    public static (TensorFileHeader Header, int[] Data) ReadInt32(string path) => ReadAll<int>(path, TensorElementType.Int32);

    /// <summary>Reads elements [<paramref name="firstElement"/>, +destination.Length) of a float32 file without reading the rest.</summary>
    public static void ReadFloat32Range(SafeFileHandle handle, TensorFileHeader header, long firstElement, Span<float> destination)
    {
        var offset = header.DataOffset + firstElement * sizeof(float);
        var bytes = MemoryMarshal.AsBytes(destination);
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes[read..], offset + read);
            if (n == 0) throw new EndOfStreamException($"Tensor file ended at byte {offset + read}.");
            read += n;
        }
        FromLittleEndian(destination);
    }

    public static SafeFileHandle OpenRead(string path)
    {
        if (!File.Exists(path))
            throw new AutomationException("tensor file not found", file: path, fix: "Run the preprocessing step again to recreate it.");
        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    public static TensorFileHeader ReadHeader(SafeFileHandle handle, string path)
    {
        Span<byte> fixedPart = stackalloc byte[16];
        if (RandomAccess.Read(handle, fixedPart, 0) < fixedPart.Length) throw Invalid(path, "file is shorter than the 16-byte header");
        if (!fixedPart[..4].SequenceEqual(Magic)) throw Invalid(path, "bad magic, expected \"ATNS\"");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[4..]);
        if (version != Version) throw Invalid(path, $"unsupported version {version}, expected {Version}");
        var type = (TensorElementType)BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[8..]);
        if (!Enum.IsDefined(type)) throw Invalid(path, $"unknown element type {(uint)type}");
        var rank = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[12..]);
        if (rank is 0 or > MaxRank) throw Invalid(path, $"rank {rank} is outside 1..{MaxRank}");

        Span<byte> dimBytes = stackalloc byte[(int)rank * 8];
        if (RandomAccess.Read(handle, dimBytes, 16) < dimBytes.Length) throw Invalid(path, "file is truncated inside the dimensions");
        var shape = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var d = BinaryPrimitives.ReadInt64LittleEndian(dimBytes[(8 * i)..]);
            if (d is < 0 or > int.MaxValue) throw Invalid(path, $"dimension {i} is {d}");
            shape[i] = (int)d;
        }
        var header = new TensorFileHeader(type, shape, HeaderSize((int)rank));
        var expected = header.DataOffset + header.DataBytes;
        var actual = RandomAccess.GetLength(handle);
        if (actual != expected)
            throw Invalid(path, $"file holds {actual} bytes but shape [{string.Join(", ", shape)}] of {type} needs {expected}");
        return header;
    }

    private static (TensorFileHeader, T[]) ReadAll<T>(string path, TensorElementType expected) where T : unmanaged
    {
        using var handle = OpenRead(path);
        var header = ReadHeader(handle, path);
        if (header.ElementType != expected) throw Invalid(path, $"holds {header.ElementType}, expected {expected}");
        var data = new T[header.ElementCount];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        var read = 0;
        while (read < bytes.Length) read += RandomAccess.Read(handle, bytes[read..], header.DataOffset + read);
        if (typeof(T) == typeof(float)) FromLittleEndian(MemoryMarshal.Cast<T, float>(data.AsSpan()));
        if (typeof(T) == typeof(int) && !BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, int>(data.AsSpan()), MemoryMarshal.Cast<T, int>(data.AsSpan()));
        return (header, data);
    }

    private static void Write(string path, TensorElementType type, ReadOnlySpan<byte> data, long elements, ReadOnlySpan<int> shape)
    {
        if (shape.Length is 0 or > MaxRank) throw new ArgumentException($"Rank {shape.Length} is outside 1..{MaxRank}.", nameof(shape));
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != elements) throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {count} elements, data has {elements}.", nameof(shape));

        var header = new byte[HeaderSize(shape.Length)];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)type);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)shape.Length);
        for (var i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16 + 8 * i), shape[i]);

        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Tensor files are written on little-endian machines only.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Write beside and rename so a reader never sees half a file under the final name.
        using var file = AtomicFile.Create(path);
        file.Stream.Write(header);
        file.Stream.Write(data);
        file.Commit();
    }

    private static int HeaderSize(int rank) => (16 + 8 * rank + Alignment - 1) / Alignment * Alignment;

    private static void FromLittleEndian(Span<float> data)
    {
        if (BitConverter.IsLittleEndian) return;
        var ints = MemoryMarshal.Cast<float, int>(data);
        BinaryPrimitives.ReverseEndianness(ints, ints);
    }

    private static AutomationException Invalid(string path, string what) =>
        new($"invalid tensor file: {what}", file: path, fix: "Delete it and run the preprocessing step again.");
}
