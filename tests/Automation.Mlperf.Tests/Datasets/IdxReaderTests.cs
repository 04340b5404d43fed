using Automation.Core.Errors;
using Automation.Mlperf.Datasets;
using Automation.Mlperf.Tests.Support;

namespace Automation.Mlperf.Tests.Datasets;

public sealed class IdxReaderTests : TempDirTest
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesPlainAndGzip(bool gzip)
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray();
        var path = Dir.File(gzip ? "images.gz" : "images");
        IdxBytes.Write(path, IdxBytes.Build(0x803, [2, 3, 4], data), gzip);

        var file = IdxReader.ReadImages(path);

        Assert.Equal([2, 3, 4], file.Dims);
        Assert.Equal(2, file.Count);
        Assert.Equal(data, file.Data);
    }

    [Fact]
    public void ReadsLabels()
    {
        var path = Dir.File("labels");
        IdxBytes.Write(path, IdxBytes.Build(0x801, [3], [7, 0, 9]), gzip: false);

        Assert.Equal(new byte[] { 7, 0, 9 }, IdxReader.ReadLabels(path).Data);
    }

    [Fact]
    public void RejectsImagesMagicWhereLabelsExpected()
    {
        var path = Dir.File("labels");
        IdxBytes.Write(path, IdxBytes.Build(0x803, [1, 1, 1], [0]), gzip: true);

        var ex = Assert.Throws<AutomationException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("bad magic number 0x00000803, expected 0x00000801", ex.Message);
        Assert.Equal(path, ex.File);
    }

    [Fact]
    public void RejectsNonIdxMagic()
    {
        var path = Dir.File("junk");
        File.WriteAllText(path, "PK\u0003\u0004 this is a zip file");

        var ex = Assert.Throws<AutomationException>(() => IdxReader.Read(path));

        Assert.Contains("not an unsigned-byte idx file", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void RejectsTruncatedData()
    {
        var full = IdxBytes.Build(0x803, [2, 28, 28], new byte[2 * 28 * 28]);
        var path = Dir.File("short.gz");
        IdxBytes.Write(path, full[..^10], gzip: true);

        var ex = Assert.Throws<AutomationException>(() => IdxReader.ReadImages(path));

        Assert.Contains("truncated", ex.Message);
        Assert.Contains("1568 data bytes for dimensions [2, 28, 28]", ex.Message);
        Assert.Contains("found only 1558", ex.Message);
    }

    [Fact]
    public void RejectsTruncatedHeader()
    {
        var path = Dir.File("header");
        IdxBytes.Write(path, IdxBytes.Build(0x803, [2, 28, 28], [])[..9], gzip: false);

        var ex = Assert.Throws<AutomationException>(() => IdxReader.ReadImages(path));

        Assert.Contains("truncated: expected dimension 1 of 3", ex.Message);
    }

    [Fact]
    public void RejectsTrailingBytes()
    {
        var path = Dir.File("long");
        IdxBytes.Write(path, IdxBytes.Build(0x801, [2], [1, 2, 3]), gzip: false);

        var ex = Assert.Throws<AutomationException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("trailing bytes", ex.Message);
    }

    [Fact]
    public void RejectsDamagedGzip()
    {
        var path = Dir.File("bad.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        var ex = Assert.Throws<AutomationException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void MissingFileNamesTheFileAndTheFix()
    {
        var ex = Assert.Throws<AutomationException>(() => IdxReader.ReadLabels(Dir.File("nope")));

        Assert.Contains("not found", ex.Message);
        Assert.NotNull(ex.Fix);
    }
}
