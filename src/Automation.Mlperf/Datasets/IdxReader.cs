using System.Buffers.Binary;
using System.IO.Compression;
using Automation.Core.Errors;

namespace Automation.Mlperf.Datasets;

/// <summary>The contents of one idx file: its dimensions and its unsigned-byte payload, row-major.</summary>
public sealed record IdxFile(string Path, IReadOnlyList<int> Dims, byte[] Data)
{
    public int Count => Dims[0];
}

/// <summary>
/// Reads the idx format of MNIST / Fashion-MNIST (plain or gzip): a big-endian magic
/// 0x00000800 | rank, then rank big-endian int32 dimensions, then the unsigned bytes.
/// Only the unsigned-byte type (0x08) is supported because that is all the data sets use.
/// </summary>
public static class IdxReader
{
    public const int LabelsMagic = 0x00000801;
    public const int ImagesMagic = 0x00000803;
    private const int UnsignedByteType = 0x08;
    private const int MaxRank = 4;

    /// <summary>Reads a label file: magic 0x00000801, one dimension.</summary>
    public static IdxFile ReadLabels(string path) => Read(path, LabelsMagic);

    /// <summary>Reads an image file: magic 0x00000803, dimensions [count, rows, cols].</summary>
    public static IdxFile ReadImages(string path) => Read(path, ImagesMagic);

    /// <summary>Reads an idx file and checks that its magic is <paramref name="expectedMagic"/> when one is given.</summary>
    public static IdxFile Read(string path, int? expectedMagic = null)
    {
        if (!File.Exists(path))
            throw new AutomationException("idx file not found", file: path,
                fix: "Install the data set (e.g. apt-get install dataset-fashion-mnist) or point the loader at the folder holding it.");
        try
        {
            using var stream = Open(path);
            return Parse(stream, path, expectedMagic);
        }
        catch (InvalidDataException ex)
        {
            throw new AutomationException($"idx file is not valid gzip: {ex.Message}", file: path,
                fix: "Download the file again; it is damaged.", inner: ex);
        }
    }

    /// <summary>Parses idx bytes from <paramref name="stream"/>; <paramref name="path"/> only names the source in errors.</summary>
    public static IdxFile Parse(Stream stream, string path, int? expectedMagic = null)
    {
        Span<byte> word = stackalloc byte[4];
        ReadExactly(stream, word, path, "the 4-byte magic number");
        var magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (expectedMagic is { } expected && magic != expected)
            throw Invalid(path, $"bad magic number 0x{magic:X8}, expected 0x{expected:X8} ({Describe(expected)})");
        if ((magic >> 16) != 0 || ((magic >> 8) & 0xFF) != UnsignedByteType)
            throw Invalid(path, $"bad magic number 0x{magic:X8}: not an unsigned-byte idx file (0x000008NN)");
        var rank = magic & 0xFF;
        if (rank is < 1 or > MaxRank)
            throw Invalid(path, $"bad magic number 0x{magic:X8}: rank {rank} is outside 1..{MaxRank}");

        var dims = new int[rank];
        long total = 1;
        for (var i = 0; i < rank; i++)
        {
            ReadExactly(stream, word, path, $"dimension {i} of {rank}");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[i] < 0) throw Invalid(path, $"dimension {i} is negative ({dims[i]})");
            total *= dims[i];
        }
        if (total > Array.MaxLength)
            throw Invalid(path, $"dimensions [{string.Join(", ", dims)}] describe {total} bytes, more than one array can hold");

        var data = new byte[total];
        ReadExactly(stream, data, path, $"{total} data bytes for dimensions [{string.Join(", ", dims)}]");
        if (stream.ReadByte() != -1)
            throw Invalid(path, $"trailing bytes after the {total} data bytes that dimensions [{string.Join(", ", dims)}] describe");
        return new IdxFile(path, dims, data);
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        // Sniff the gzip signature rather than trusting the extension: the files are often unpacked but keep their name.
        var b0 = file.ReadByte();
        var b1 = file.ReadByte();
        file.Position = 0;
        if (b0 == 0x1F && b1 == 0x8B)
            return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
        return file;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw Invalid(path, $"file is truncated: expected {what}, found only {read} of {buffer.Length} bytes");
    }

    private static string Describe(int magic) => magic switch
    {
        LabelsMagic => "labels, rank 1",
        ImagesMagic => "images, rank 3",
        _ => $"rank {magic & 0xFF}",
    };

    internal static AutomationException Invalid(string path, string what) =>
        new($"invalid idx file: {what}", file: path, fix: "Check that the file is an idx file of the expected kind and download it again if it is damaged.");
}
