using System.Diagnostics;
using Automation.Core.Files;
using Automation.Core.Tests.Actions;
using Xunit;

namespace Automation.Core.Tests.Files;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] Leftovers() => Directory.GetFiles(_temp.Root).Where(f => f.Contains(AtomicFile.TempMarker, StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Text_replaces_the_file_and_leaves_no_temp_file()
    {
        var path = _temp["a.json"];
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllText(path, "new ü");

        Assert.Equal("new ü", File.ReadAllText(path));
        Assert.Equal("new ü"u8.ToArray(), File.ReadAllBytes(path)); // UTF-8 without a byte-order mark, as File.WriteAllText
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void A_pending_file_disposed_without_commit_leaves_the_old_file_and_no_temp()
    {
        var path = _temp["b.bin"];
        File.WriteAllText(path, "old");

        using (var pending = AtomicFile.Create(path))
        {
            pending.Stream.Write([1, 2, 3]);
            Assert.Single(Leftovers());
            Assert.Equal("old", File.ReadAllText(path));
        }

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void A_failed_write_removes_its_temp_file_and_keeps_the_old_file()
    {
        var path = _temp["c.txt"];
        File.WriteAllText(path, "old");
        Directory.CreateDirectory(_temp["c.txt.dir"]);

        // Renaming a file over a folder fails: the write must fail whole.
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(_temp["c.txt.dir"], "new"));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void The_folder_is_not_created()
    {
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(_temp["gone/x.txt"], "x"));
        Assert.False(Directory.Exists(_temp["gone"]));
    }

    [Fact]
    public void Bytes_and_copies_land_whole()
    {
        AtomicFile.WriteAllBytes(_temp["d.bin"], [9, 8, 7]);
        AtomicFile.Copy(_temp["d.bin"], _temp["e.bin"]);

        Assert.Equal([9, 8, 7], File.ReadAllBytes(_temp["e.bin"]));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void Concurrent_writers_never_leave_a_torn_file()
    {
        var path = _temp["shared.txt"];
        var texts = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 100_000)).ToArray();

        Parallel.For(0, 64, i => AtomicFile.WriteAllText(path, texts[i % texts.Length]));

        Assert.Contains(File.ReadAllText(path), texts);
        Assert.Empty(Leftovers());
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FolderTreeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Folders_of_ended_processes_are_pruned_and_live_ones_kept()
    {
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        ended.WaitForExit();
        var mine = Directory.CreateDirectory(_temp[FolderTree.OwnedName(".staging-", "abc")]).FullName;
        var dead = Directory.CreateDirectory(_temp[$".staging-{ended.Id}-abc"]).FullName;
        var deadBare = Directory.CreateDirectory(_temp[$".staging-{ended.Id}"]).FullName;
        var other = Directory.CreateDirectory(_temp[".staging-notapid"]).FullName;

        FolderTree.PruneDead(_temp.Root, ".staging-");

        Assert.True(Directory.Exists(mine));
        Assert.True(Directory.Exists(other));
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(deadBare));
    }

    [Fact]
    public void Read_only_trees_are_deleted()
    {
        var dir = Directory.CreateDirectory(_temp["ro/inner"]).FullName;
        File.WriteAllText(Path.Combine(dir, "f"), "x");
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        FolderTree.Delete(_temp["ro"]);

        Assert.False(Directory.Exists(_temp["ro"]));
    }
}
