using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Automation.Cli.Docs;
using Automation.Core.Catalog;
using Automation.Core.Tests.Actions;
using Automation.Core.World;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>The built cm (cm.dll next to this assembly) as a user runs it: new commands, download through the CLI, docs.</summary>
public sealed class CliTests() : ScriptTestBase()
{
    private (int Exit, string Out, string Err) Cm_(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = ScriptHarness.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cm.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("CM_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(key);
        info.Environment["CM_REPOS"] = Path.Combine(Path.GetTempPath(), "cm-test-repos-" + Guid.NewGuid().ToString("N"));
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90))) p.Kill(entireProcessTree: true);
        return (p.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public async Task Download_through_cm_prints_json_then_a_wrong_checksum_is_one_paragraph_and_exit_1()
    {
        var payload = Encoding.ASCII.GetBytes(new string('z', 70_000));
        await using var server = new LoopbackServer((request, stream, ct) => LoopbackServer.ServeAsync(request, stream, payload, ct));
        var url = server.Url("data.bin").ToString();

        var ok = Cm_("run", "script", "--tags=download,file", $"--url={url}", $"--sha256={Convert.ToHexStringLower(SHA256.HashData(payload))}", "-j", "--cache-dir", Cm.CacheDir);
        var shown = Cm_("run", "script", "download-file", $"--url={url}", "--sha256=" + new string('0', 64), "--to", Cm.UserDir, "--cache-dir", Cm.CacheDir);

        Assert.True(ok.Exit == 0, ok.Err);
        var json = JObject.Parse(ok.Out);
        Assert.Equal(payload, File.ReadAllBytes((string)json["new_env"]!["CM_DOWNLOAD_DOWNLOADED_PATH"]!));
        Assert.Equal(1, shown.Exit);
        Assert.StartsWith("error: Checksum mismatch", shown.Err.TrimStart());
        Assert.DoesNotContain("   at ", shown.Err);
        Assert.False(File.Exists(Path.Combine(Cm.UserDir, "data.bin")));
    }

    [Fact]
    public void Import_command_converts_a_cm_folder()
    {
        var copy = Path.Combine(Cm.Root, "get-cm-yaml-demo");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(ScriptHarness.RepoRoot, "tests", "Automation.Cli.Tests", "Scripts", "cm-format", "get-cm-yaml-demo", "_cm.yaml"), Path.Combine(copy, "_cm.yaml"));

        var first = Cm_("import", copy);
        var second = Cm_("import", copy);

        Assert.True(first.Exit == 0, first.Err);
        Assert.Contains("get-cm-yaml-demo: wrote", first.Out);
        Assert.True(File.Exists(Path.Combine(copy, "_cm.json")));
        Assert.Equal(1, second.Exit);
        Assert.Contains("already exists", second.Err);
    }

    [Fact]
    public void Docs_command_writes_the_file_the_repository_commits()
    {
        var file = Path.Combine(Cm.Root, "scripts.md");

        var run = Cm_("docs", "scripts", "--out", file);

        Assert.True(run.Exit == 0, run.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(ScriptHarness.RepoRoot, "docs", "scripts.md")), File.ReadAllText(file));
    }

    [Fact]
    public void Committed_docs_scripts_md_is_the_generated_reference_of_every_shipped_script()
    {
        var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [ScriptHarness.ShippedScripts]);

        var generated = ScriptDocs.Render(catalog.All);

        Assert.True(generated == File.ReadAllText(Path.Combine(ScriptHarness.RepoRoot, "docs", "scripts.md")),
            "docs/scripts.md is stale: run `cm docs scripts --out docs/scripts.md` and commit it.");
        foreach (var script in catalog.All) Assert.Contains($"### {script.Alias}\n", generated);
    }
}
