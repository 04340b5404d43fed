using System.Security.Cryptography;
using Automation.Cli.Tests;
using Automation.Core.Tests.Actions;
using Automation.Reliability.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Reliability.Tests.WrongResults;

/// <summary>Issue 17, item 5: a truncated or corrupt archive is refused with nothing cached; interrupted downloads resume only when it is safe.</summary>
public sealed class ArchiveIntegrityTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["pkg/readme.txt"] = "hello\n",
        ["pkg/data.txt"] = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"row {i} {i * 7919 % 104729}\n")),
    };

    private static void AssertRefusedAndNothingCached(TempWorkspace ws, CmResult run)
    {
        Assert.True(run.ExitCode is not 0 and not 70, run.All);
        Assert.DoesNotContain("internal error", run.All);
        Assert.Contains("truncated or corrupt", run.All);
        Assert.Equal(0, ws.CountEntries());
        Assert.Empty(BuiltinScripts.StagingFolders(ws.Root));
    }

    [Fact]
    public void Item05_a_tar_gz_missing_its_trailer_is_refused_and_nothing_is_cached()
    {
        using var ws = new TempWorkspace();
        var whole = BuiltinScripts.TarGz(Files);
        File.WriteAllBytes(Path.Combine(ws.Root, "cut.tar.gz"), whole[..^8]); // the gzip trailer: CRC-32 and size

        var run = ws.RunCm("run", "script", "--tags=extract,file", "--input=cut.tar.gz");

        AssertRefusedAndNothingCached(ws, run);
    }

    [Fact]
    public void Item05_a_tar_gz_with_a_wrong_crc_is_refused_and_nothing_is_cached()
    {
        using var ws = new TempWorkspace();
        var bytes = BuiltinScripts.TarGz(Files);
        bytes[^8] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(ws.Root, "bad.tar.gz"), bytes);

        var run = ws.RunCm("run", "script", "--tags=extract,file", "--input=bad.tar.gz");

        AssertRefusedAndNothingCached(ws, run);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(40)]
    public void Item05_an_xz_cut_short_is_a_clear_error_and_nothing_is_cached(int keepOrDrop)
    {
        using var ws = new TempWorkspace();
        var whole = Convert.FromBase64String(SampleArchives.PkgTarXz);
        // 6: only the first 6 bytes (the magic) are left; otherwise that many bytes are missing at the end.
        var cut = keepOrDrop == 6 ? whole[..6] : whole[..^keepOrDrop];
        File.WriteAllBytes(Path.Combine(ws.Root, "pkg.tar.xz"), cut);

        var run = ws.RunCm("run", "script", "--tags=extract,file", "--input=pkg.tar.xz");

        AssertRefusedAndNothingCached(ws, run);
    }

    [Fact]
    public void Item05_the_whole_archives_still_extract()
    {
        using var ws = new TempWorkspace();
        File.WriteAllBytes(Path.Combine(ws.Root, "ok.tar.gz"), BuiltinScripts.TarGz(Files));
        File.WriteAllBytes(Path.Combine(ws.Root, "ok.tar.xz"), Convert.FromBase64String(SampleArchives.PkgTarXz));

        var gz = ws.RunCm("run", "script", "--tags=extract,file", "--input=ok.tar.gz");
        var xz = ws.RunCm("run", "script", "--tags=extract,file", "--input=ok.tar.xz");

        Assert.True(gz.ExitCode == 0, gz.All);
        Assert.True(xz.ExitCode == 0, xz.All);
        var folder = (string)JObject.Parse(gz.Stdout)["new_env"]!["CM_EXTRACT_EXTRACTED_PATH"]!;
        Assert.Equal(Files["pkg/data.txt"], File.ReadAllText(Path.Combine(folder, "pkg/data.txt")));
        Assert.Equal(2, ws.CountEntries());
    }

    [Fact]
    public async Task Item05_a_download_into_the_cache_entry_cut_short_resumes_in_the_next_run()
    {
        using var ws = new TempWorkspace();
        var content = RandomNumberGenerator.GetBytes(400_000);
        var served = 0;
        await using var server = new LoopbackServer((request, stream, ct) =>
            LoopbackServer.ServeAsync(request, stream, content, ct, cutAfter: Interlocked.Increment(ref served) == 1 ? 150_000 : null));
        string[] args = ["run", "script", "--tags=download,file", $"--url={server.Url("blob.bin")}", "--retries=0",
            $"--sha256={Convert.ToHexStringLower(SHA256.HashData(content))}"];

        var first = ws.RunCm(args);
        Assert.True(first.ExitCode != 0, first.All);
        Assert.Equal(0, ws.CountEntries());
        var second = ws.RunCm(args);

        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(150_000L, server.Requests.Last().RangeStart);
        var path = (string)JObject.Parse(second.Stdout)["new_env"]!["CM_DOWNLOAD_DOWNLOADED_PATH"]!;
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.StartsWith(ws.Cache, path);
        Assert.Empty(Directory.EnumerateFiles(ws.Cache, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Item05_a_part_file_of_a_file_that_changed_on_the_server_is_restarted_not_resumed()
    {
        using var ws = new TempWorkspace();
        var old = RandomNumberGenerator.GetBytes(300_000);
        var current = RandomNumberGenerator.GetBytes(300_000);
        var served = 0;
        await using var server = new LoopbackServer((request, stream, ct) => Interlocked.Increment(ref served) == 1
            ? LoopbackServer.ServeAsync(request, stream, old, ct, cutAfter: 100_000, etag: "\"v1\"")
            : LoopbackServer.ServeAsync(request, stream, current, ct, etag: "\"v2\""));
        string[] args = ["run", "script", "--tags=download,file", $"--url={server.Url("blob.bin")}", "--retries=0", "--to=dl"];

        Assert.NotEqual(0, ws.RunCm(args).ExitCode);
        var second = ws.RunCm(args);

        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(current, File.ReadAllBytes(Path.Combine(ws.Root, "dl", "blob.bin")));
        Assert.Equal("\"v1\"", server.Requests.Last().Headers.GetValueOrDefault("If-Range"));
    }
}
