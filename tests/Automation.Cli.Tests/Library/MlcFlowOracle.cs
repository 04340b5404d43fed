using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Library;

/// <summary>
/// MLCFlow 1.3.6 itself (the tool that runs the MLC library today), set up offline from ../shared/vendor with
/// ../shared/tools/mlcflow-setup.sh, beside our cm with the very same library folder registered: the oracle that
/// library runs are compared with. One per test class (the setup takes about a minute).
/// </summary>
public sealed class MlcFlowOracle : IDisposable
{
    private static string SetupScript => Path.Combine(RepoPaths.Root, "..", "shared", "tools", "mlcflow-setup.sh");
    private static string MlcFlowTarball => Path.Combine(RepoPaths.SharedVendor, "mlcflow-1.3.6-ae5a3ca.tar.gz");

    /// <summary>Why the oracle cannot run here (null when it can): the vendored sources, bash, and root or Debian's python3-venv.</summary>
    public static string? Unavailable { get; } =
        !File.Exists(SetupScript) ? $"{SetupScript} is missing, so MLCFlow cannot be set up as the oracle."
        : !File.Exists(MlcFlowTarball) ? $"{MlcFlowTarball} is missing, so MLCFlow cannot be set up as the oracle."
        : VendoredLibrary.Unavailable is { } why ? why
        : !File.Exists("/bin/bash") ? "bash is missing, so MLCFlow's setup script cannot run."
        : Environment.UserName != "root" && !File.Exists("/usr/lib/python3/dist-packages/yaml/__init__.py")
            ? "MLCFlow needs Debian's python3 packages (the setup installs them as root; this user is not root)."
            : null;

    private readonly string root = Directory.CreateTempSubdirectory("cm-oracle-").FullName;

    public MlcFlowOracle()
    {
        if (Unavailable is not null) return;
        var setup = Run("bash", [SetupScript, MlcDir], root, new Dictionary<string, string>(), TimeSpan.FromMinutes(15));
        Assert.True(setup.Exit == 0, $"mlcflow-setup.sh failed ({setup.Exit}):\n{setup.Output}");
        Directory.CreateDirectory(CmRepos);
        Workspace = new TempWorkspace();
        var pulled = Workspace.Cm(CmEnv, "pull", "repo", LibraryFolder);
        Assert.True(pulled.ExitCode == 0, pulled.All);
    }

    public string MlcDir => Path.Combine(root, "mlcflow");
    /// <summary>The library both tools run: MLCFlow's registered copy (a git repository), also registered with cm.</summary>
    public string LibraryFolder => Path.Combine(MlcDir, "repos", "mlcommons@mlperf-automations");
    public string MlcCache => Path.Combine(MlcDir, "repos", "local", "cache");
    public string CmRepos => Path.Combine(root, "cm-repos");
    public TempWorkspace Workspace { get; } = null!;
    public IReadOnlyDictionary<string, string> CmEnv => new Dictionary<string, string>(ToolEnv) { ["CM_REPOS"] = CmRepos };

    /// <summary>
    /// What both tools run with: the system PATH (Debian's python3 with its python3-* packages, not MLCFlow's venv or a
    /// developer's pyenv), and pip builds without an isolated build env, which would need the network (the library's
    /// LoadGen build runs `pip install .`).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> ToolEnv = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["PIP_NO_BUILD_ISOLATION"] = "0",
    };

    /// <summary>
    /// A local git repository shaped like github.com/mlcommons/inference, built from the vendored LoadGen, submission
    /// checker and compliance tarballs (what the library's inference-src and LoadGen scripts read), as a file:// URL.
    /// </summary>
    public string InferenceRepoUrl => inferenceRepo.Value;

    private Lazy<string> inferenceRepo => field ??= new(() =>
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "inference-repo")).FullName;
        foreach (var tarball in new[] { "mlperf-inference-loadgen-b66003e.tar.gz", "mlperf-submission-checker-b66003e.tar.gz", "mlperf-compliance-b66003e.tar.gz" })
        {
            using var file = File.OpenRead(Path.Combine(RepoPaths.SharedVendor, tarball));
            using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
            System.Formats.Tar.TarFile.ExtractToDirectory(gzip, dir, overwriteFiles: true);
        }
        return GitRepo(dir, "master");
    });

    /// <summary>A small local git repository (one commit on main) as a file:// URL.</summary>
    public string SmallRepoUrl => smallRepo.Value;

    private Lazy<string> smallRepo => field ??= new(() =>
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "small-repo")).FullName;
        File.WriteAllText(Path.Combine(dir, "README"), "a repository made by the test\n");
        return GitRepo(dir, "main");
    });

    private static string GitRepo(string dir, string branch)
    {
        Scripts.GitRepoScriptTests.Git(dir, "init", "-q", "-b", branch);
        Scripts.GitRepoScriptTests.Git(dir, "add", "-A");
        Scripts.GitRepoScriptTests.Git(dir, "commit", "-q", "-m", "fixture");
        return new Uri(dir).AbsoluteUri;
    }

    /// <summary>`mlc run script --tags=TAGS --quiet -j` (MLCFlow prints the -j document through its logger).</summary>
    public JObject Mlc(string tags, params string[] extra)
    {
        var cwd = Directory.CreateDirectory(Path.Combine(root, "mlc-cwd")).FullName;
        var result = Run(Path.Combine(MlcDir, "venv", "bin", "mlc"), ["run", "script", "--tags=" + tags, "--quiet", "-j", .. extra], cwd,
            new Dictionary<string, string>(ToolEnv) { ["MLC_REPOS"] = Path.Combine(MlcDir, "repos") }, TimeSpan.FromMinutes(10));
        Assert.True(result.Exit == 0, $"mlc run script --tags={tags} failed ({result.Exit}):\n{Tail(result.Output)}");
        var at = result.Output.LastIndexOf("INFO ] - {", StringComparison.Ordinal);
        Assert.True(at >= 0, $"mlc printed no -j document:\n{Tail(result.Output)}");
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(result.Output[(result.Output.IndexOf('{', at))..])) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        return JObject.Load(reader);
    }

    /// <summary>`cm run script --tags=TAGS --quiet -j` with the library registered.</summary>
    public JObject Cm(string tags, params string[] extra)
    {
        var result = CmProcess.Run(Workspace.Root, CmEnv, TimeSpan.FromMinutes(10), ["run", "script", "--tags=" + tags, "--quiet", "-j", .. extra]);
        Assert.True(result.ExitCode == 0, $"cm run script --tags={tags} failed ({result.ExitCode}):\n{Tail(result.All)}");
        return JObject.Parse(result.Stdout);
    }

    /// <summary>
    /// Every key of MLCFlow's new_env that ours lacks or holds with another value (lists compared joined); values that
    /// point into either tool's cache only need the key.
    /// </summary>
    public IReadOnlyList<string> Differences(JObject mlc, JObject cm)
    {
        var theirs = (JObject)mlc["new_env"]!;
        var ours = (JObject)cm["new_env"]!;
        var cacheRoots = new[] { MlcCache, Path.Combine(Workspace.Root, "cache") };
        var differences = new List<string>();
        foreach (var p in theirs.Properties())
        {
            if (ours[p.Name] is not { } mine) { differences.Add($"{p.Name}: missing (MLCFlow: {Text(p.Value)})"); continue; }
            var (a, b) = (Text(p.Value), Text(mine));
            if (a == b || cacheRoots.Any(r => a.Contains(r, StringComparison.Ordinal)) && cacheRoots.Any(r => b.Contains(r, StringComparison.Ordinal))) continue;
            differences.Add($"{p.Name}: MLCFlow '{a}', cm '{b}'");
        }
        return differences;
    }

    private static string Text(JToken t) => t is JArray a ? string.Join(':', a.Select(x => x.ToString())) : t.ToString();

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    private static (int Exit, string Output) Run(string file, IEnumerable<string> args, string cwd, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}"); }
        return (p.ExitCode, output.Result + error.Result);
    }

    public void Dispose()
    {
        Workspace?.Dispose();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fact that compares with MLCFlow; skipped with the reason where the oracle cannot be set up.</summary>
public sealed class WithMlcFlowFactAttribute : FactAttribute
{
    public WithMlcFlowFactAttribute()
    {
        if (MlcFlowOracle.Unavailable is { } why) Skip = why;
    }
}

/// <summary>The theory form of <see cref="WithMlcFlowFactAttribute"/>.</summary>
public sealed class WithMlcFlowTheoryAttribute : TheoryAttribute
{
    public WithMlcFlowTheoryAttribute()
    {
        if (MlcFlowOracle.Unavailable is { } why) Skip = why;
    }
}
