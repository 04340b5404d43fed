using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Automation.Core.Actions;
using Xunit;

namespace Automation.Core.Tests.Actions;

/// <summary>Archives cut short or damaged anywhere are refused whole (issue 17 item 5); the size limit and staging cleanup (item 11).</summary>
public sealed class ArchiveIntegrityTests : IDisposable
{
    private static readonly byte[] Text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => $"line {i} {i * 7919 % 104729}\n")));

    private readonly TempDirectory _temp = new();
    private readonly ArchiveExtractor _extractor = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    private static byte[] Tar(params (string Name, byte[] Data)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, data) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        return buffer.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(_temp[name], bytes);
        return _temp[name];
    }

    private void AssertRefusedWhole(string archive, string because = "truncated or corrupt")
    {
        var error = Assert.ThrowsAny<ArchiveException>(() => _extractor.Extract(archive, _temp["area/target"]));
        Assert.Contains(because, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["area"])); // no target and no staging folder
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(5000)]
    public void A_gzip_file_cut_short_anywhere_is_refused(int cut)
    {
        AssertRefusedWhole(Write("t.gz", Gzip(Text)[..^cut]));
        AssertRefusedWhole(Write("t.tar.gz", Gzip(Tar(("a.txt", Text)))[..^cut]));
    }

    [Fact]
    public void A_gzip_file_whose_crc_is_wrong_is_refused_even_when_the_tar_inside_ends_first()
    {
        var bytes = Gzip(Tar(("a.txt", Text)));
        bytes[^6] ^= 0x01;

        AssertRefusedWhole(Write("crc.tar.gz", bytes));
    }

    [Fact]
    public void A_gzip_file_of_several_members_is_whole_and_extracts()
    {
        var tar = Tar(("a.txt", Text), ("b.txt", "bee"u8.ToArray()));
        var half = tar.Length / 2;
        var archive = Write("multi.tar.gz", [.. Gzip(tar[..half]), .. Gzip(tar[half..])]);

        _extractor.Extract(archive, _temp["out"]);

        Assert.Equal(Text, File.ReadAllBytes(_temp["out/a.txt"]));
        Assert.Equal("bee", File.ReadAllText(_temp["out/b.txt"]));
    }

    [Fact]
    public void A_gzip_file_of_several_members_cut_in_its_last_one_is_refused()
    {
        var bytes = (byte[])[.. Gzip(Text[..1000]), .. Gzip(Text[1000..])];

        AssertRefusedWhole(Write("multi.gz", bytes[..^3]));
    }

    [Fact]
    public void Zero_padding_after_a_gzip_file_is_allowed_as_gzip_allows_it()
    {
        var archive = Write("padded.gz", [.. Gzip(Text), .. new byte[512]]);

        _extractor.Extract(archive, _temp["out"]);

        Assert.Equal(Text, File.ReadAllBytes(_temp["out/padded"]));
    }

    [Fact]
    public void An_empty_gzip_file_extracts_to_an_empty_file()
    {
        // What `gzip` writes for no data (.NET's GZipStream writes nothing at all then).
        var archive = Write("empty.gz", Convert.FromHexString("1f8b080000000000000303000000000000000000"));

        _extractor.Extract(archive, _temp["out"]);

        Assert.Empty(File.ReadAllBytes(_temp["out/empty"]));
    }

    [Fact]
    public void A_plain_tar_without_its_closing_zero_blocks_is_refused()
    {
        var tar = Tar(("a.txt", Text));

        AssertRefusedWhole(Write("cut.tar", tar[..^1024]));
        AssertRefusedWhole(Write("odd.tar", tar[..^100]));
    }

    [Theory]
    [InlineData(-6)] // only the magic bytes
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(30)]
    [InlineData(100)]
    public void An_xz_file_cut_short_anywhere_is_refused(int cut)
    {
        var whole = Convert.FromBase64String(SampleArchives.PkgTarXz);

        AssertRefusedWhole(Write("pkg.tar.xz", cut < 0 ? whole[..-cut] : whole[..^cut]));
    }

    [Fact]
    public void A_zip_entry_whose_data_does_not_match_its_crc_is_refused()
    {
        var archive = _temp["stored.zip"];
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("data.txt", CompressionLevel.NoCompression).Open())
            entry.Write(Text);
        var bytes = File.ReadAllBytes(archive);
        var at = bytes.AsSpan().IndexOf("line 100 "u8);
        bytes[at] = (byte)'L';

        AssertRefusedWhole(Write("stored.zip", bytes));
    }

    [Fact]
    public void Files_beyond_the_size_limit_are_not_written_and_nothing_is_extracted()
    {
        var archive = Write("big.tar.gz", Gzip(Tar(("a.txt", Text), ("b.txt", Text))));

        var error = Assert.Throws<ArchiveTooLargeException>(() =>
            _extractor.Extract(archive, _temp["area/target"], new ExtractOptions(MaxBytes: Text.Length + 10)));

        Assert.Equal("b.txt", error.Entry);
        Assert.Contains("--max_size", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["area"]));
        _extractor.Extract(archive, _temp["unlimited"], new ExtractOptions(MaxBytes: 0));
        Assert.Equal(Text, File.ReadAllBytes(_temp["unlimited/b.txt"]));
    }

    [Fact]
    public void The_default_limit_is_generous_but_stops_a_small_archive_from_unpacking_to_gigabytes()
    {
        Assert.Equal(1L << 30, ExtractOptions.DefaultMaxBytes(1_000_000));
        Assert.Equal(200L * 100_000_000, ExtractOptions.DefaultMaxBytes(100_000_000));
        Assert.Equal(long.MaxValue, ExtractOptions.DefaultMaxBytes(long.MaxValue / 2));
    }

    [Fact]
    public void Cancelling_an_extraction_leaves_no_staging_folder()
    {
        var archive = Write("a.tar.gz", Gzip(Tar(("a.txt", Text))));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => _extractor.Extract(archive, _temp["area/target"], cancellationToken: cancelled.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["area"]));
    }

    [Fact]
    public void A_staging_folder_left_by_a_killed_process_is_removed_by_the_next_extraction_beside_it()
    {
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        ended.WaitForExit();
        var left = Directory.CreateDirectory(_temp[$"area/.target.extracting-{ended.Id}-0123abcd"]).FullName;
        File.WriteAllText(Path.Combine(left, "half.bin"), "half");
        var archive = Write("a.tar.gz", Gzip(Tar(("a.txt", "A"u8.ToArray()))));

        _extractor.Extract(archive, _temp["area/target"]);

        Assert.Equal(["target"], Directory.EnumerateFileSystemEntries(_temp["area"]).Select(Path.GetFileName));
    }
}
