using System.Buffers.Binary;
using System.IO.Compression;

namespace Automation.Mlperf.Tests.Support;

/// <summary>Builds idx files byte by byte so that the tests control every header field.</summary>
public static class IdxBytes
{
    public static byte[] Build(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static void Write(string path, byte[] bytes, bool gzip)
    {
        if (!gzip) { File.WriteAllBytes(path, bytes); return; }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }

    /// <summary>Writes a tiny Fashion-MNIST-shaped split (<paramref name="count"/> images of 28x28) and returns its labels.</summary>
    public static byte[] WriteSplit(string folder, string prefix, int count, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), Build(0x803, [count, 28, 28], pixels), gzip: true);
        Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), Build(0x801, [count], labels), gzip: true);
        return labels;
    }
}
