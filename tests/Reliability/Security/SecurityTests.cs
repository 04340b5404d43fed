using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Automation.Cli.Tests;
using Automation.Core.Tests.Actions;
using Automation.Reliability.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Reliability.Tests.Security;

/// <summary>Issue 17, item 11: names cannot leave the cache root, extraction is bounded and cleans up, Dockerfiles cannot be injected, downloads stay on http(s), URL credentials stay secret.</summary>
public sealed class SecurityTests
{
    [Fact]
    public void Item11_a_script_alias_with_dot_dot_never_leaves_the_cache_root()
    {
        using var ws = new TempWorkspace();
        var token = "escaped-" + Guid.NewGuid().ToString("N")[..8];
        ws.AddScript("evil-ok", $$"""{"alias":"../../../{{token}}-ok","uid":"e000000000000001","tags":["evil","ok"]}""", "echo fine");
        ws.AddScript("evil-fails", $$"""{"alias":"../../../{{token}}-fails","uid":"e000000000000002","tags":["evil","fails"]}""", "exit 3");

        var ok = ws.Cm("run", "script", "--tags=evil,ok", "--quiet");
        var fails = ws.Cm("run", "script", "--tags=evil,fails", "--quiet");
        var docker = ws.Cm("docker", "script", "--tags=evil,ok");

        Assert.True(ok.ExitCode == 0, ok.All);
        Assert.True(fails.ExitCode == 1, fails.All);
        Assert.True(docker.ExitCode == 0, docker.All);
        // The workspace is a folder of the temp folder, so "../../../" from its cache would land in or near that.
        foreach (var above in new[] { Path.GetDirectoryName(ws.Root)!, Path.GetDirectoryName(Path.GetDirectoryName(ws.Root)!)!, "/" })
            Assert.Empty(Directory.EnumerateFileSystemEntries(above, $"*{token}*", SearchOption.TopDirectoryOnly));
        // Everything the runs wrote is inside the workspace: the work folders and the kept log under the cache root.
        var written = Directory.EnumerateFileSystemEntries(ws.Root, $"*{token}*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, p => Assert.True(p.StartsWith(ws.Cache + Path.DirectorySeparatorChar) || p.StartsWith(Path.Combine(ws.Root, "cm-docker") + Path.DirectorySeparatorChar), p));
    }

    [Fact]
    public void Item11_extraction_staging_folders_are_cleaned_on_failure_and_after_a_killed_run()
    {
        using var ws = new TempWorkspace();
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        ended.WaitForExit();
        var out_ = Directory.CreateDirectory(Path.Combine(ws.Root, "out")).FullName;
        var leftover = Directory.CreateDirectory(Path.Combine(out_, $".x.extracting-{ended.Id}-0123abcd")).FullName;
        File.WriteAllText(Path.Combine(leftover, "half"), "left by a killed extraction");
        var whole = BuiltinScripts.TarGz(new Dictionary<string, string> { ["a.txt"] = new string('a', 100_000) });
        File.WriteAllBytes(Path.Combine(ws.Root, "bad.tar.gz"), whole[..^20]);

        var run = ws.RunCm("run", "script", "--tags=extract,file", "--input=bad.tar.gz", "--to=out/x");

        Assert.True(run.ExitCode is not 0 and not 70, run.All);
        Assert.Empty(BuiltinScripts.StagingFolders(ws.Root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(out_));
        Assert.Equal(0, ws.CountEntries());
    }

    [Fact]
    public void Item11_a_one_megabyte_archive_cannot_unpack_to_a_gibibyte()
    {
        using var ws = new TempWorkspace();
        // 17 gzip members of 64 MiB of zeros each: about 1.1 MB that unpacks to 1.06 GiB.
        var member = GzipOf(new byte[64 << 20]);
        using (var bomb = File.Create(Path.Combine(ws.Root, "bomb.bin.gz")))
            for (var i = 0; i < 17; i++) bomb.Write(member);
        Assert.InRange(new FileInfo(Path.Combine(ws.Root, "bomb.bin.gz")).Length, 500_000, 2_000_000);

        var bounded = ws.RunCm("run", "script", "--tags=extract,file", "--input=bomb.bin.gz");
        var lower = ws.RunCm("run", "script", "--tags=extract,file", "--input=bomb.bin.gz", "--to=small", "--max_size=10M");

        Assert.True(bounded.ExitCode is not 0 and not 70, bounded.All);
        Assert.Contains("more than the limit of 1 GiB", bounded.All);
        Assert.Contains("--max_size", bounded.All);
        Assert.Contains("more than the limit of 10 MiB", lower.All);
        Assert.Equal(0, ws.CountEntries());
        Assert.Empty(BuiltinScripts.StagingFolders(ws.Root));
    }

    private static byte[] GzipOf(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    [Fact]
    public void Item11_dockerfile_values_cannot_inject_lines()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("app", """{"alias":"app","uid":"d000000000000001","tags":["app"],"input_mapping":{"note":"APP_NOTE"},"versions":{"1\nRUN touch /version-pwned":{}}}""", "echo ok");

        var run = ws.Cm("docker", "script", "--tags=app", "--output=out", "--note=a\nRUN touch /pwned\nRUN\ttouch /pwned2",
            "--env.X=\r\nRUN touch /pwned3", "--base_image=debian\nRUN touch /pwned4");

        Assert.True(run.ExitCode is not 70, run.All);
        if (run.ExitCode == 0)
        {
            var lines = File.ReadAllLines(Path.Combine(ws.Root, "out", "Dockerfile"));
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("RUN touch", StringComparison.Ordinal) || l.Contains("RUN\ttouch"));
            Assert.DoesNotContain(lines, l => l.Contains('\r'));
        }
        else Assert.Contains("base image", run.All); // refusing the malformed image name is fine too
        var plain = ws.Cm("docker", "script", "--tags=app", "--output=out2", "--note=a\nRUN touch /pwned");
        Assert.True(plain.ExitCode == 0, plain.All);
        var dockerfile = File.ReadAllText(Path.Combine(ws.Root, "out2", "Dockerfile"));
        Assert.DoesNotContain("\nRUN touch", dockerfile);
        Assert.Contains("a\\nRUN touch /pwned", dockerfile);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/secret.bin")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/x")]
    public async Task Item11_a_download_refuses_a_redirect_to_another_scheme(string location)
    {
        using var ws = new TempWorkspace();
        await using var server = new LoopbackServer((request, stream, ct) =>
            LoopbackServer.WriteHeadAsync(stream, 302, 0, ct, $"Location: {location}"));

        var run = ws.RunCm("run", "script", "--tags=download,file", $"--url={server.Url("x.bin")}", "--retries=0", "--to=dl");

        Assert.True(run.ExitCode is not 0 and not 70, run.All);
        Assert.Contains("redirect", run.All);
        Assert.False(File.Exists(Path.Combine(ws.Root, "dl", "x.bin")));
        Assert.Equal(0, ws.CountEntries());
    }

    [Fact]
    public async Task Item11_credentials_in_a_url_never_appear_in_logs_run_records_or_ro_crates()
    {
        using var ws = new TempWorkspace();
        var content = Encoding.ASCII.GetBytes(new string('x', 50_000));
        await using var server = new LoopbackServer((request, stream, ct) => request.Path == "/ok.bin"
            ? LoopbackServer.ServeAsync(request, stream, content, ct)
            : LoopbackServer.StatusAsync(stream, 404, ct));
        string Url(string path) => server.Url(path).ToString().Replace("http://", "http://alice:s3cr3t-T0ken@", StringComparison.Ordinal);

        var lockFile = Path.Combine(ws.Root, "download.lock.json");
        var ok = ws.RunCm("run", "script", "--tags=download,file", $"--url={Url("ok.bin")}", "--env.CM_MLPERF_RESULTS_DIR=results", "--lock", lockFile);
        // The lock file masks the credentials, and still pins the same plan (its cache keys hash the real URL).
        var locked = ws.RunCm("run", "script", "--tags=download,file", $"--url={Url("ok.bin")}", "--env.CM_MLPERF_RESULTS_DIR=results", "--locked", lockFile);
        Assert.True(locked.ExitCode == 0, locked.All);
        Assert.Contains("***@127.0.0.1", File.ReadAllText(lockFile));
        var missing = ws.RunCm("run", "script", "--tags=download,file", $"--url={Url("missing.bin")}", "--retries=0", "--env.CM_MLPERF_RESULTS_DIR=results2");

        Assert.True(ok.ExitCode == 0, ok.All);
        Assert.True(missing.ExitCode is not 0 and not 70, missing.All);
        Assert.DoesNotContain("s3cr3t", missing.Stderr);
        var files = Directory.EnumerateFiles(ws.Root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith("entry.json", StringComparison.Ordinal) && !f.Contains("index", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("ro-crate-metadata.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains(Path.Combine("cache", ".records"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("cm-run.log", StringComparison.Ordinal));
        Assert.All(files, f => Assert.DoesNotContain("s3cr3t", File.ReadAllText(f)));
        Assert.Contains(files, f => File.ReadAllText(f).Contains("alice", StringComparison.Ordinal) is false && File.ReadAllText(f).Contains("***@127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Item11_credentials_a_customize_py_hook_prints_are_redacted_in_the_step_log()
    {
        using var ws = new TempWorkspace();
        var dir = ws.AddScript("echo-url", """{"alias": "echo-url", "uid": "e1", "tags": ["echo", "url"]}""", "echo ran");
        File.WriteAllText(Path.Combine(dir, "customize.py"), """
            import sys

            def preprocess(i):
                print('fetching https://bob:hunter2-S3cret@example.org/model.onnx')
                print('mirror https://bob:hunter2-S3cret@example.org/m2', file=sys.stderr)
                return {'return': 0}
            """);

        var run = ws.Cm(BuiltinScripts.Env, "run", "script", "--tags=echo,url", "--env.CM_MLPERF_RESULTS_DIR=results");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.DoesNotContain("hunter2", run.All);
        var logs = Directory.EnumerateFiles(ws.Root, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).ToList();
        // The step log holds the hook's lines (stdout and stderr), redacted, before what run.sh printed.
        var log = File.ReadAllText(Assert.Single(logs, f => f.EndsWith("cm-run.log", StringComparison.Ordinal)));
        Assert.Matches(@"(?s)https://\*\*\*@example\.org/model\.onnx.*https://\*\*\*@example\.org/m2.*\nran", log);
        Assert.All(logs, f => Assert.DoesNotContain("hunter2", File.ReadAllText(f)));
    }
}
