using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Automation.Core.Actions;
using Automation.Core.Caching;
using Automation.Core.Execution;
using Automation.Core.Tests.Actions;
using Automation.Core.World;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>download-file, extract-file and download-and-extract run through the engine against a loopback HTTP server.</summary>
public sealed class DownloadScriptTests() : ScriptTestBase()
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i}\n")));
    private static readonly string PayloadSha256 = Convert.ToHexStringLower(SHA256.HashData(Payload));

    private static LoopbackServer Serve(byte[] content, int? cutFirstAfter = null)
    {
        var served = 0;
        return new LoopbackServer((request, stream, ct) => request.Path switch
        {
            "/model.onnx" => LoopbackServer.ServeAsync(request, stream, content, ct, cutAfter: Interlocked.Increment(ref served) == 1 ? cutFirstAfter : null),
            _ => LoopbackServer.StatusAsync(stream, 404, ct),
        });
    }

    private static Dictionary<string, string> Inputs(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private bool HasEntry(string tags, IReadOnlyDictionary<string, string> inputs) =>
        new CacheStore(Cm.CacheDir, SystemClock.Instance).TryGet(Cm.Resolve(tags, inputs: inputs).Root.Key) is not null;

    [Fact]
    public async Task Downloads_verifies_exports_and_the_second_run_comes_from_cache_without_a_request()
    {
        await using var server = Serve(Payload);
        var inputs = Inputs(("url", server.Url("model.onnx").ToString()), ("sha256", PayloadSha256), ("final_env_name", "CM_ML_MODEL_FILE_WITH_PATH"));

        var first = await Cm.RunAsync("download,file", inputs: inputs);
        var second = await Cm.RunAsync("download,file", inputs: inputs);

        var env = first.Root.Outcome.NewEnv;
        var path = env["CM_DOWNLOAD_DOWNLOADED_PATH"];
        Assert.Equal(Payload, File.ReadAllBytes(path));
        Assert.Equal("model.onnx", Path.GetFileName(path));
        Assert.StartsWith(Cm.CacheDir, path);
        Assert.Equal(path, env["CM_ML_MODEL_FILE_WITH_PATH"]);
        Assert.Equal(PayloadSha256, env["CM_DOWNLOAD_DOWNLOADED_SHA256"]);
        Assert.True(second.Root.FromCache);
        Assert.Equal(env, second.Root.Outcome.NewEnv);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Url_variation_and_relative_to_folder_put_the_file_where_the_user_asked()
    {
        await using var server = Serve(Payload);

        var run = await Cm.RunAsync($"download,file,_url.{server.Url("model.onnx")}", inputs: Inputs(("to", "models"), ("md5", Convert.ToHexStringLower(MD5.HashData(Payload)))));

        Assert.Equal(Path.Combine(Cm.UserDir, "models", "model.onnx"), run.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]);
    }

    [Fact]
    public async Task A_deleted_download_invalidates_the_cache_entry()
    {
        await using var server = Serve(Payload);
        var inputs = Inputs(("url", server.Url("model.onnx").ToString()), ("sha256", PayloadSha256), ("to", "dl"));
        var first = await Cm.RunAsync("download,file", inputs: inputs);
        File.Delete(first.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]);

        var again = await Cm.RunAsync("download,file", inputs: inputs);

        Assert.False(again.Root.FromCache);
        Assert.True(File.Exists(again.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_wrong_checksum_deletes_the_file_and_caches_nothing()
    {
        await using var server = Serve(Payload);
        var inputs = Inputs(("url", server.Url("model.onnx").ToString()), ("sha256", new string('0', 64)), ("to", "dl"));

        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => Cm.RunAsync("download,file", inputs: inputs));

        Assert.Contains($"got {PayloadSha256}", e.Message);
        Assert.False(File.Exists(Path.Combine(Cm.UserDir, "dl", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(Cm.UserDir, "dl", "model.onnx.part")));
        Assert.False(HasEntry("download,file", inputs));
    }

    [Fact]
    public async Task A_connection_dropped_mid_file_is_resumed_with_a_range_request()
    {
        await using var server = Serve(Payload, cutFirstAfter: 10_000);
        var inputs = Inputs(("url", server.Url("model.onnx").ToString()), ("sha256", PayloadSha256), ("retries", "1"));

        var run = await Cm.RunAsync("download,file", inputs: inputs);

        Assert.Equal(Payload, File.ReadAllBytes(run.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]));
        Assert.Equal([null, 10_000L], server.Requests.Select(r => r.RangeStart));
        var entry = new CacheStore(Cm.CacheDir, SystemClock.Instance).TryGet(run.Root.Key)!;
        Assert.True((bool)entry.Evidence!["resumed"]!);
    }

    [Fact]
    public async Task A_run_cut_short_resumes_in_the_next_run()
    {
        await using var server = Serve(Payload, cutFirstAfter: 5_000);
        var inputs = Inputs(("url", server.Url("model.onnx").ToString()), ("sha256", PayloadSha256), ("retries", "0"), ("to", "dl"));

        var e = await Assert.ThrowsAsync<DownloadException>(() => Cm.RunAsync("download,file", inputs: inputs));
        Assert.Equal(5_000, new FileInfo(Path.Combine(Cm.UserDir, "dl", "model.onnx.part")).Length);
        var run = await Cm.RunAsync("download,file", inputs: inputs);

        Assert.Contains("an interrupted download resumes where it stopped", e.Message);
        Assert.Equal(Payload, File.ReadAllBytes(run.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]));
        Assert.Equal(5_000L, server.Requests.Last().RangeStart);
    }

    [Fact]
    public async Task Not_found_fails_naming_the_url_and_caches_nothing()
    {
        await using var server = Serve(Payload);
        var inputs = Inputs(("url", server.Url("missing.bin").ToString()));

        var e = await Assert.ThrowsAsync<DownloadException>(() => Cm.RunAsync("download,file", inputs: inputs));

        Assert.Contains("HTTP 404", e.Message);
        Assert.Contains(server.Url("missing.bin").ToString(), e.Message);
        Assert.Single(server.Requests); // 404 is not retried
        Assert.False(HasEntry("download,file", inputs));
    }

    [Fact]
    public async Task A_stalled_server_fails_within_the_timeout()
    {
        await using var server = new LoopbackServer(async (_, stream, ct) =>
        {
            await LoopbackServer.WriteHeadAsync(stream, 200, Payload.Length, ct);
            await stream.WriteAsync(Payload.AsMemory(0, 100), ct);
            await Task.Delay(TimeSpan.FromSeconds(15), ct);
        });
        var inputs = Inputs(("url", server.Url("model.onnx").ToString()), ("timeout", "0.5"), ("retries", "0"));

        var e = await Assert.ThrowsAsync<DownloadException>(() => Cm.RunAsync("download,file", inputs: inputs));

        Assert.Contains("no data for 0.5 s", e.Message);
    }

    [Fact]
    public async Task A_mirror_serves_the_file_when_the_first_url_is_gone()
    {
        await using var server = Serve(Payload);
        var inputs = Inputs(("url", server.Url("gone.onnx").ToString()), ("mirrors", server.Url("model.onnx").ToString()), ("sha256", PayloadSha256), ("filename", "model.onnx"));

        var run = await Cm.RunAsync("download,file", inputs: inputs);

        Assert.Equal(Payload, File.ReadAllBytes(run.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]));
        var entry = new CacheStore(Cm.CacheDir, SystemClock.Instance).TryGet(run.Root.Key)!;
        Assert.Equal(server.Url("model.onnx").ToString(), (string)entry.Evidence!["source"]!);
    }

    [Fact]
    public async Task A_local_file_is_used_offline_and_verified()
    {
        var local = Path.Combine(Cm.UserDir, "already-here.onnx");
        File.WriteAllBytes(local, Payload);

        var run = await Cm.RunAsync("download,file", new Dictionary<string, string> { ["CM_DOWNLOAD_LOCAL_FILE_PATH"] = local },
            Inputs(("url", "http://127.0.0.1:9/never-contacted.onnx"), ("sha256", PayloadSha256)));
        var bad = await Assert.ThrowsAsync<ChecksumMismatchException>(() => Cm.RunAsync("download,file", inputs: Inputs(("local_path", local), ("md5", new string('a', 32)))));

        Assert.Equal(Payload, File.ReadAllBytes(run.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_PATH"]));
        Assert.Equal("never-contacted.onnx", run.Root.Outcome.NewEnv["CM_DOWNLOAD_DOWNLOADED_FILENAME"]);
        Assert.Contains("left in place", bad.Message);
        Assert.True(File.Exists(local));
    }

    [Fact]
    public async Task A_missing_url_is_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<Core.Errors.AutomationException>(() => Cm.RunAsync("download,file"));

        Assert.Contains("no value for CM_DOWNLOAD_URL", e.Message);
        Assert.Contains("--url=VALUE", e.Message);
    }

    private static byte[] TarGz(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
            foreach (var (name, text) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        return buffer.ToArray();
    }

    [Fact]
    public async Task Download_and_extract_chains_a_cached_download_and_an_extraction()
    {
        var archive = TarGz(("resnet50/model.onnx", "weights"), ("resnet50/labels.txt", "cat\ndog\n"));
        await using var server = new LoopbackServer((request, stream, ct) => LoopbackServer.ServeAsync(request, stream, archive, ct));
        var inputs = Inputs(("url", server.Url("resnet50.tar.gz").ToString()), ("sha256", Convert.ToHexStringLower(SHA256.HashData(archive))), ("strip", "1"), ("final_env_name", "CM_ML_MODEL_PATH"));

        var first = await Cm.RunAsync("download-and-extract", inputs: inputs);
        var second = await Cm.RunAsync("download-and-extract", inputs: inputs);

        var env = first.Root.Outcome.NewEnv;
        Assert.Equal(["download-file", "download-and-extract"], first.Steps.Select(s => s.Script));
        Assert.Equal("weights", File.ReadAllText(Path.Combine(env["CM_EXTRACT_EXTRACTED_PATH"], "model.onnx")));
        Assert.Equal(env["CM_EXTRACT_EXTRACTED_PATH"], env["CM_ML_MODEL_PATH"]);
        Assert.EndsWith("resnet50.tar.gz", env["CM_DOWNLOAD_DOWNLOADED_PATH"]);
        Assert.Equal("targz", env["CM_EXTRACT_EXTRACTED_FORMAT"]);
        Assert.Contains("_url." + server.Url("resnet50.tar.gz"), ScriptHarness.Step(first, "download-file").Variations.Select(v => "_" + v));
        Assert.True(second.Root.FromCache);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Download_and_extract_with_a_wrong_checksum_extracts_and_caches_nothing()
    {
        var archive = TarGz(("a.txt", "a"));
        await using var server = new LoopbackServer((request, stream, ct) => LoopbackServer.ServeAsync(request, stream, archive, ct));
        var inputs = Inputs(("url", server.Url("a.tar.gz").ToString()), ("sha256", new string('1', 64)), ("to", "out"));

        await Assert.ThrowsAsync<ChecksumMismatchException>(() => Cm.RunAsync("download-and-extract", inputs: inputs));

        Assert.False(Directory.Exists(Path.Combine(Cm.UserDir, "out")));
        Assert.False(HasEntry("download-and-extract", inputs));
    }

    [Fact]
    public async Task Extract_file_unpacks_into_the_asked_folder_and_refuses_a_corrupt_archive()
    {
        var good = Path.Combine(Cm.UserDir, "tool.tar.gz");
        File.WriteAllBytes(good, TarGz(("tool/bin/run", "#!/bin/sh\n"), ("tool/README", "hi")));
        var corrupt = Path.Combine(Cm.UserDir, "broken.tar.gz");
        // A gzip header followed by bytes that are not deflate data.
        File.WriteAllBytes(corrupt, [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, .. Enumerable.Repeat((byte)0xFF, 64)]);

        var run = await Cm.RunAsync("extract,file", inputs: Inputs(("input", "tool.tar.gz"), ("to", "tools")));
        var e = await Assert.ThrowsAsync<ArchiveException>(() => Cm.RunAsync("extract,file", inputs: Inputs(("input", corrupt), ("to", "broken"))));

        Assert.Equal(Path.Combine(Cm.UserDir, "tools"), run.Root.Outcome.NewEnv["CM_EXTRACT_EXTRACTED_PATH"]);
        Assert.Equal("hi", File.ReadAllText(Path.Combine(Cm.UserDir, "tools", "tool", "README")));
        Assert.Contains("broken.tar.gz", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Cm.UserDir, "broken")));
    }

    [Fact]
    public async Task Extract_file_of_a_single_gz_exports_the_file()
    {
        var gz = Path.Combine(Cm.UserDir, "labels.txt.gz");
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            zip.Write(Encoding.ASCII.GetBytes("cat\n"));

        var run = await Cm.RunAsync("extract,file", inputs: Inputs(("input", gz)));

        var path = run.Root.Outcome.NewEnv["CM_EXTRACT_EXTRACTED_PATH"];
        Assert.Equal("labels.txt", Path.GetFileName(path));
        Assert.Equal("cat\n", File.ReadAllText(path));
    }
}
