using System.Buffers.Binary;
using System.IO.Compression;

namespace Automation.Records.Tests.Support;

/// <summary>Just enough PNG reading to tell a rendered page from a blank one: the size and the inflated pixel rows.</summary>
public static class Png
{
    public static (int Width, int Height, byte[] Rows) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var idat = new MemoryStream();
        int width = 0, height = 0;
        for (var at = 8; at + 8 <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            if (type == "IHDR") { width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 8)); height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 12)); }
            if (type == "IDAT") idat.Write(bytes, at + 8, length);
            at += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var rows = new MemoryStream();
        z.CopyTo(rows);
        return (width, height, rows.ToArray());
    }
}
