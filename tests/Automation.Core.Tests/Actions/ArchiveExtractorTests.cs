using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Automation.Core.Actions;
using Xunit;

namespace Automation.Core.Tests.Actions;

public sealed class ArchiveExtractorTests : IDisposable
{
    private static readonly Dictionary<string, string> Sample = new()
    {
        ["top.txt"] = "top level\n",
        ["dir/nested.txt"] = "nested\n",
        ["dir/deeper/leaf.bin"] = new string('x', 70_000),
    };

    private readonly TempDirectory _temp = new();
    private readonly ArchiveExtractor _extractor = new();

    public void Dispose() => _temp.Dispose();

    private string Target => _temp["target"];

    [Fact]
    public void Zip_round_trips()
    {
        var archive = _temp["sample.zip"];
        WriteZip(archive, Sample.Select(kv => (kv.Key, kv.Value)));

        var result = _extractor.Extract(archive, Target);

        Assert.Equal(ArchiveFormat.Zip, result.Format);
        AssertTreeEquals(Sample, Target);
        Assert.Equal(Sample.Keys.Order(), result.Entries.Order());
        Assert.Equal(Sample.Values.Sum(v => v.Length), result.Bytes);
    }

    [Theory]
    [InlineData("sample.tar", ArchiveFormat.Tar)]
    [InlineData("sample.tar.gz", ArchiveFormat.TarGz)]
    [InlineData("sample.tgz", ArchiveFormat.TarGz)]
    public void Tar_and_gzipped_tar_round_trip(string name, ArchiveFormat format)
    {
        var archive = _temp[name];
        WriteTar(archive, gzip: format == ArchiveFormat.TarGz, writer =>
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dir/"));
            foreach (var (path, text) in Sample) writer.WriteEntry(FileEntry(path, text));
        });

        var result = _extractor.Extract(archive, Target);

        Assert.Equal(format, result.Format);
        AssertTreeEquals(Sample, Target);
    }

    [Fact]
    public void Tar_xz_is_extracted_with_its_executable_bit()
    {
        var archive = _temp["pkg.tar.xz"];
        File.WriteAllBytes(archive, Convert.FromBase64String(SampleArchives.PkgTarXz));

        var result = _extractor.Extract(archive, Target);

        Assert.Equal(ArchiveFormat.TarXz, result.Format);
        Assert.Equal("packed with xz\n", File.ReadAllText(Path.Combine(Target, "pkg/readme.txt")));
        Assert.Equal("#!/bin/sh\necho tool\n", File.ReadAllText(Path.Combine(Target, "pkg/bin/tool")));
        if (!OperatingSystem.IsWindows())
            Assert.True(File.GetUnixFileMode(Path.Combine(Target, "pkg/bin/tool")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void Plain_gz_and_xz_become_one_file_named_without_the_suffix()
    {
        var gz = _temp["model.onnx.gz"];
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            output.Write("weights"u8);
        var xz = _temp["note.txt.xz"];
        File.WriteAllBytes(xz, Convert.FromBase64String(SampleArchives.NoteXz));

        var fromGz = _extractor.Extract(gz, Target);
        var fromXz = _extractor.Extract(xz, _temp["other"]);

        Assert.Equal(ArchiveFormat.Gz, fromGz.Format);
        Assert.Equal(["model.onnx"], fromGz.Entries);
        Assert.Equal("weights", File.ReadAllText(Path.Combine(Target, "model.onnx")));
        Assert.Equal(ArchiveFormat.Xz, fromXz.Format);
        Assert.Equal("single xz file\n", File.ReadAllText(_temp["other/note.txt"]));
    }

    [Fact]
    public void Magic_bytes_win_over_a_misleading_name()
    {
        var archive = _temp["really-a-tarball.zip"];
        WriteTar(archive, gzip: true, writer => writer.WriteEntry(FileEntry("a.txt", "A")));

        Assert.Equal(ArchiveFormat.TarGz, ArchiveExtractor.DetectFormat(archive));
        Assert.Equal("A", File.ReadAllText(Path.Combine(_extractor.Extract(archive, Target).TargetDirectory, "a.txt")));
    }

    [Fact]
    public void An_html_error_page_is_not_an_archive()
    {
        var archive = _temp["download"];
        File.WriteAllText(archive, "<html>404</html>");

        var error = Assert.Throws<ArchiveException>(() => _extractor.Extract(archive, Target));

        Assert.Contains("HTML error page", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Strip_components_drops_the_leading_folder()
    {
        var archive = _temp["release.tar"];
        WriteTar(archive, gzip: false, writer =>
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "tool-1.2/"));
            writer.WriteEntry(FileEntry("tool-1.2/bin/tool", "binary"));
        });

        var result = _extractor.Extract(archive, Target, new ExtractOptions(StripComponents: 1));

        Assert.Equal(["bin/tool"], result.Entries);
        Assert.Equal("binary", File.ReadAllText(Path.Combine(Target, "bin/tool")));
    }

    [Fact]
    public void Links_inside_the_tree_are_kept()
    {
        if (OperatingSystem.IsWindows()) return; // creating symbolic links needs privileges there
        var archive = _temp["libs.tar"];
        WriteTar(archive, gzip: false, writer =>
        {
            writer.WriteEntry(FileEntry("lib/libfoo.so.1.2", "elf"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "lib/libfoo.so") { LinkName = "libfoo.so.1.2" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "include") { LinkName = "lib/../lib" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "lib/copy") { LinkName = "lib/libfoo.so.1.2" });
        });

        _extractor.Extract(archive, Target);

        Assert.Equal("libfoo.so.1.2", new FileInfo(Path.Combine(Target, "lib/libfoo.so")).LinkTarget);
        Assert.Equal("elf", File.ReadAllText(Path.Combine(Target, "include/libfoo.so")));
        Assert.Equal("elf", File.ReadAllText(Path.Combine(Target, "lib/copy")));
    }

    public static TheoryData<string, Action<TarWriter>, string> MaliciousTars => new()
    {
        { "../evil", w => w.WriteEntry(FileEntry("../evil", "pwned")), "climbs out" },
        { "ok/../../evil", w => w.WriteEntry(FileEntry("ok/../../evil", "pwned")), "climbs out" },
        { "/tmp/automation-evil-abs", w => w.WriteEntry(FileEntry("/tmp/automation-evil-abs", "pwned")), "absolute path" },
        { "C:/evil", w => w.WriteEntry(FileEntry("C:/evil", "pwned")), "drive letter" },
        { "escape", w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = "../outside" }), "points outside" },
        { "abs-link", w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "abs-link") { LinkName = "/etc" }), "absolute path '/etc'" },
        {
            "via-link/evil", w =>
            {
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "via-link") { LinkName = "sub" });
                w.WriteEntry(FileEntry("via-link/evil", "pwned"));
            },
            "written through the link 'via-link'"
        },
        {
            "chain", w =>
            {
                // Each link looks harmless alone; followed together, 'chain' is ../
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "chain") { LinkName = "sub/up/.." });
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "sub/up") { LinkName = ".." });
            },
            "points outside"
        },
        { "hard", w => w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "hard") { LinkName = "../../etc/passwd" }), "hard link" },
        { "fifo", w => w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "fifo")), "Fifo entry" },
    };

    [Theory]
    [MemberData(nameof(MaliciousTars))]
    public void Malicious_tar_entries_are_refused_and_nothing_is_written(string entry, Action<TarWriter> write, string reason)
    {
        var archive = _temp["bad.tar"];
        WriteTar(archive, gzip: false, writer =>
        {
            writer.WriteEntry(FileEntry("innocent.txt", "first entry, extracted before the bad one"));
            write(writer);
        });

        var error = Assert.Throws<UnsafeArchiveEntryException>(() => _extractor.Extract(archive, _temp["area/target"]));

        Assert.Equal(entry, error.Entry);
        Assert.Contains(reason, error.Message);
        Assert.Contains(Path.GetFullPath(archive), error.Message);
        Assert.Contains($"'{entry}'", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["area"])); // no target, no staging sibling, no '../evil'
        Assert.False(File.Exists("/tmp/automation-evil-abs"));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("..\\evil.txt")]
    [InlineData("/abs/evil.txt")]
    public void Malicious_zip_entries_are_refused_and_nothing_is_written(string entry)
    {
        var archive = _temp["bad.zip"];
        WriteZip(archive, [("fine.txt", "fine"), (entry, "pwned")]);

        var error = Assert.Throws<UnsafeArchiveEntryException>(() => _extractor.Extract(archive, _temp["area/target"]));

        Assert.Equal(entry, error.Entry);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["area"]));
        Assert.False(File.Exists(_temp["evil.txt"]));
    }

    [Fact]
    public void A_truncated_archive_fails_cleanly_without_partial_output()
    {
        var good = _temp["whole.tar.gz"];
        WriteTar(good, gzip: true, writer =>
        {
            foreach (var (path, text) in Sample) writer.WriteEntry(FileEntry(path, text));
        });
        var bytes = File.ReadAllBytes(good);
        var truncated = _temp["cut.tar.gz"];
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ArchiveException>(() => _extractor.Extract(truncated, _temp["area/target"]));

        Assert.Contains("download it again", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp["area"]));
    }

    [Fact]
    public void Existing_content_is_not_overwritten_unless_asked()
    {
        Directory.CreateDirectory(Path.Combine(Target, "dir"));
        File.WriteAllText(Path.Combine(Target, "dir/nested.txt"), "mine");
        File.WriteAllText(Path.Combine(Target, "keep.txt"), "untouched");
        var archive = _temp["sample.zip"];
        WriteZip(archive, Sample.Select(kv => (kv.Key, kv.Value)));

        var error = Assert.Throws<ArchiveException>(() => _extractor.Extract(archive, Target));
        Assert.Contains("nested.txt", error.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Target, "dir/nested.txt")));
        Assert.False(File.Exists(Path.Combine(Target, "top.txt")));

        _extractor.Extract(archive, Target, new ExtractOptions(Overwrite: true));
        AssertTreeEquals(Sample.Append(new("keep.txt", "untouched")).ToDictionary(), Target);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Root, ".target.extracting-*"));
    }

    [Fact]
    public void Overwrite_replaces_a_link_in_the_target_instead_of_writing_through_it()
    {
        if (OperatingSystem.IsWindows()) return; // creating symbolic links needs privileges there
        var outside = _temp["outside"];
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(Target);
        Directory.CreateSymbolicLink(Path.Combine(Target, "dir"), outside);
        var archive = _temp["sample.zip"];
        WriteZip(archive, Sample.Select(kv => (kv.Key, kv.Value)));

        _extractor.Extract(archive, Target, new ExtractOptions(Overwrite: true));

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        AssertTreeEquals(Sample, Target);
    }

    private static PaxTarEntry FileEntry(string name, string text) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
    };

    private static void WriteTar(string path, bool gzip, Action<TarWriter> write)
    {
        using Stream file = File.Create(path);
        using var stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        write(writer);
    }

    private static void WriteZip(string path, IEnumerable<(string Name, string Text)> entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(text);
        }
    }

    private static void AssertTreeEquals(IReadOnlyDictionary<string, string> expected, string root)
    {
        var actual = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText);
        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }
}
