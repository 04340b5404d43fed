using System.Net;
using System.Net.Sockets;
using System.Text;
using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>Issue 17, item 9: inputs that ended in an internal error (exit 70) read, or are refused with a clear error.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public void Item09_non_string_alias_uid_and_yaml_keys_read_with_warnings_or_are_refused_cleanly()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("n1", """{"alias":5,"uid":"f000000000000901","tags":["n1"]}""");
        ws.AddScript("n2", """{"alias":["x",{"y":1}],"uid":"f000000000000902","tags":["n2"]}""");
        ws.AddScript("n3", """{"alias":"n3","uid":{"a":[1]},"tags":["n3",7,null,{"t":1}],"variations":[1,2],"deps":"x"}""");
        ws.AddScript("n4", """{"alias":null,"uid":true,"tags":"n4","env":{"A":{"b":1},"B":[1,[2]]},"default_variations":7}""");
        RecursionTests.WriteMeta(ws, "y1", "meta.yaml", "alias: y1\nuid: f000000000000905\ntags: [y1]\nenv:\n  2001-01-01: x\n  1.5: y\n  ~: z\n  true: w\n  [a, b]: v\nvariations:\n  1: {env: {A: 1}}\n  null: {}\n");
        RecursionTests.WriteMeta(ws, "y2", "meta.yaml", "alias: y2\nuid: 12345\ntags: [y2]\nvariations:\n  ? {a: 1}\n  : {}\n");
        RecursionTests.WriteMeta(ws, "y3", "meta.yaml", "alias: y3\nuid: f000000000000907\ntags: [y3]\n? !!binary aGVsbG8=\n: x\n");
        RecursionTests.WriteMeta(ws, "y4", "meta.yaml", "alias: !!int 7\nuid: !!float 1.5\ntags: [y4]\nvariations:\n  2: {}\n  1.10: {group: 5}\n");

        foreach (var args in new[]
                 {
                     new[] { "find", "script" }, ["find", "script", "--verbose"], ["find", "script", "-j"],
                     ["show", "script", "5"], ["show", "script", "n2"], ["show", "script", "n3"], ["show", "script", "y4", "-j"],
                     ["run", "script", "--tags=n1", "--dry-run"], ["run", "script", "--tags=n3", "--quiet"], ["run", "script", "--tags=n4", "--quiet"],
                     ["run", "script", "--tags=y1,_1", "--dry-run", "-j"], ["run", "script", "--tags=y2", "--quiet"], ["run", "script", "--tags=y4,_2", "--quiet"],
                     ["docker", "script", "--tags=y1"], ["docs", "scripts", "--out", Path.Combine(ws.Root, "docs.md")],
                 })
        {
            // Once a full load writes the index, and once from the index (the metas are dated back so it is written).
            foreach (var meta in Directory.EnumerateFiles(Path.Combine(ws.Root, "scripts"), "*", SearchOption.AllDirectories))
                File.SetLastWriteTimeUtc(meta, DateTime.UtcNow.AddMinutes(-5));
            var result = Refusal.Run(ws.Root, args);
            Refusal.AssertNoCrash(result);
            Assert.True(result.ExitCode is 0 or 1, $"cm {string.Join(' ', args)}: exit {result.ExitCode}\n{result.All}");
        }
        Assert.True(File.Exists(Path.Combine(ws.Cache, ".catalog-index")), "the index was never written, so the indexed reads were not tested");
    }

    [Theory]
    [InlineData("root", "99999999999")]
    [InlineData("root", "-1")]
    [InlineData("root", "7")]
    [InlineData("length", "99999999999999999999999")]
    [InlineData("ticks", "x")]
    [InlineData("alias", "")]
    [InlineData("uid", "")]
    [InlineData("fields", "")]
    [InlineData("garbage", "")]
    [InlineData("binary", "")]
    public void Item09_a_tampered_catalog_index_is_ignored_and_rewritten(string field, string value)
    {
        using var ws = new TempWorkspace();
        ws.AddScript("one", """{"alias":"one","uid":"f000000000000911","tags":["one","first"]}""");
        ws.AddScript("two", """{"alias":"two","uid":"f000000000000912","tags":["two"]}""");
        RecursionTests.WriteMeta(ws, "bad", "meta.yaml", "alias: [");
        foreach (var meta in Directory.EnumerateFiles(Path.Combine(ws.Root, "scripts"), "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(meta, DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(0, Refusal.Run(ws.Root, "find", "script").ExitCode);
        var index = Path.Combine(ws.Cache, ".catalog-index");
        var lines = File.ReadAllLines(index);
        var row = Array.FindIndex(lines, l => l.StartsWith("d\t", StringComparison.Ordinal) && l.Contains("/one\t", StringComparison.Ordinal));
        Assert.True(row > 0, string.Join('\n', lines));
        var f = lines[row].Split('\t');
        switch (field)
        {
            case "root": f[1] = value; break;
            case "length": f[4] = value; break;
            case "ticks": f[5] = value; break;
            case "alias": f[6] = value; break;
            case "uid": f[7] = value; break;
            case "fields": f = f[..7]; break;
        }
        lines[row] = string.Join('\t', f);
        if (field == "garbage") File.WriteAllText(index, lines[0] + "\n" + string.Concat(Enumerable.Repeat("\t\t\t\n", 100)));
        else if (field == "binary") File.WriteAllBytes(index, [.. Encoding.UTF8.GetBytes(lines[0] + "\n"), 0, 0xff, 0xfe, 9, 10, 0x80]);
        else File.WriteAllLines(index, lines);

        var find = Refusal.Run(ws.Root, "find", "script", "first");
        Refusal.AssertNoCrash(find);
        Assert.True(find.ExitCode == 0, find.All);
        Assert.Contains("one", find.Stdout);
        var run = Refusal.Run(ws.Root, "run", "script", "--tags=two", "--quiet", "-j");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("bad/meta.yaml:", run.Stderr);
        Assert.DoesNotContain(File.ReadAllLines(index), l => l.Split('\t') is { Length: > 6 } r && r[2].EndsWith("/one", StringComparison.Ordinal) && r[6] != "one");
    }

    [Fact]
    public void Item09_a_lock_path_that_is_a_folder_is_a_clear_error()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("cached", """{"alias":"cached","uid":"f000000000000921","tags":["cached"],"cache":true}""", "true");
        var plan = Refusal.Run(ws.Root, "run", "script", "--tags=cached", "--dry-run", "-j");
        var key = (string)Newtonsoft.Json.Linq.JObject.Parse(plan.Stdout)["nodes"]![0]!["key"]!;
        var entryLock = Path.Combine(ws.Cache, ".locks", key + ".lock");
        Directory.CreateDirectory(entryLock);
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=cached", "--quiet"), $"the cache lock {entryLock} is a folder, not a lock file", "Remove the folder");
        Directory.Delete(entryLock);

        var indexLock = Path.Combine(ws.Cache, ".locks", "index.lock");
        Directory.CreateDirectory(indexLock);
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=cached", "--quiet"), $"the cache lock {indexLock} is a folder");
        Directory.Delete(indexLock);

        Directory.Delete(Path.Combine(ws.Cache, ".locks"), true);
        File.WriteAllText(Path.Combine(ws.Cache, ".locks"), "a file where the lock folder belongs");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=cached", "--quiet"), "cannot be created");
        File.Delete(Path.Combine(ws.Cache, ".locks"));
        var ok = Refusal.Run(ws.Root, "run", "script", "--tags=cached", "--quiet");
        Assert.True(ok.ExitCode == 0, ok.All);
    }

    /// <summary>Found by the generated command lines: a folder given where cm writes a file, or a file where it makes a folder.</summary>
    [Fact]
    public void Item09_an_output_path_that_is_a_folder_or_a_file_in_the_way_is_a_clear_error()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("fine", """{"alias":"fine","uid":"f000000000000941","tags":["fine"]}""", "true");
        var folder = Directory.CreateDirectory(Path.Combine(ws.Root, "a-folder")).FullName;
        var file = Path.Combine(ws.Root, "a-file");
        File.WriteAllText(file, "");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "docs", "scripts", $"--out={folder}"), folder, "Check the files and folders this command reads and writes");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=fine", "--quiet", $"--lock={folder}"), folder);
        Refusal.AssertClearError(Refusal.Run(ws.Root, "docker", "script", "--tags=fine", $"--output={file}"), file);
    }

    [Fact]
    public async Task Item09_a_download_redirected_to_a_file_url_is_refused_and_nothing_is_cached()
    {
        using var server = new RedirectServer("file:///etc/hostname");
        using var ws = new TempWorkspace();
        var env = new Dictionary<string, string> { ["CM_SCRIPT_PATH"] = Path.Combine(RepoPaths.Root, "scripts") };
        var result = await Task.Run(() => Refusal.Run(ws.Root, env, "run", "script", "--tags=download,file", $"--url={server.Url}", "--retries=0", "--quiet"));
        Refusal.AssertClearError(result, "the server redirected to an address that is not http(s)");
        Assert.Equal(0, ws.CountEntries());
        Assert.True(server.Requests > 0);
    }

    /// <summary>A one-route HTTP server on loopback that answers every request with a 302 to <paramref name="location"/>.</summary>
    private sealed class RedirectServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private int requests;

        public RedirectServer(string location)
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var head = "";
                    while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, stop.Token);
                        if (n == 0) break;
                        head += Encoding.ASCII.GetString(buffer, 0, n);
                    }
                    Interlocked.Increment(ref requests);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), stop.Token);
                }
            });
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/file.bin";
        public int Requests => Volatile.Read(ref requests);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
