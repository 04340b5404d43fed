using Automation.Cli.Hosting;
using Automation.Core.Caching;
using Automation.Core.Catalog;
using Automation.Core.Detection;
using Automation.Core.Execution;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Versioning;
using Automation.Core.World;

namespace Automation.Cli.Tests.Scripts;

/// <summary>
/// Runs the repository's real scripts through the real engine: catalog from scripts/ (plus test fixture roots),
/// Resolver, Executor with the real StepRunner, Detector, built-in actions and cache store, in a temp cache.
/// Nothing touches the process environment: PATH and other variables reach the scripts as env overrides.
/// </summary>
public sealed class ScriptHarness : IDisposable
{
    private readonly ScriptCatalog _catalog;

    public ScriptHarness(params string[] extraRoots)
    {
        Root = Path.Combine(Path.GetTempPath(), "cm-scripts-" + Guid.NewGuid().ToString("N")[..12]);
        CacheDir = Path.Combine(Root, "cache");
        UserDir = Path.Combine(Root, "user");
        Directory.CreateDirectory(UserDir);
        _catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [.. extraRoots, ShippedScripts]);
    }

    public static string RepoRoot { get; } = FindRepoRoot();
    public static string ShippedScripts => Path.Combine(RepoRoot, "scripts");
    /// <summary>Test-only scripts (CM-format fixtures, consumers of optional deps), under tests/.../Scripts/fixtures.</summary>
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "Automation.Cli.Tests", "Scripts", "fixtures");

    public string Root { get; }
    public string CacheDir { get; }
    /// <summary>The folder the "user" runs cm in (CM_TMP_CURRENT_PATH): relative --to paths land here.</summary>
    public string UserDir { get; }
    public List<string> Warnings { get; } = [];

    public ScriptCatalog Catalog => _catalog;

    private static RunRequest Request(string tags, IReadOnlyDictionary<string, string>? env, IReadOnlyDictionary<string, string>? inputs, VersionConstraint? version) => new()
    {
        Tags = TagQuery.Split(tags),
        EnvOverrides = env ?? ScriptMeta.Empty,
        Inputs = inputs ?? ScriptMeta.Empty,
        Version = version ?? VersionConstraint.None,
    };

    /// <summary>The predicted plan (what --dry-run prints).</summary>
    public Plan Resolve(string tags, IReadOnlyDictionary<string, string>? env = null, IReadOnlyDictionary<string, string>? inputs = null, VersionConstraint? version = null) =>
        new Resolver(_catalog).Resolve(Request(tags, env, inputs, version));

    public async Task<RunResult> RunAsync(string tags, IReadOnlyDictionary<string, string>? env = null, IReadOnlyDictionary<string, string>? inputs = null, VersionConstraint? version = null,
        TimeSpan? timeLimit = null)
    {
        var host = ProcessHostEnvironment.Instance;
        var resolver = new Resolver(_catalog);
        var executor = new Executor(
            new DepDecider(resolver.Selector),
            new CacheStoreSteps(new CacheStore(CacheDir, SystemClock.Instance)),
            new StepRunner(CliWrapProcessRunner.Instance, host, PhysicalFileSystem.Instance),
            BuiltinActions.Registry(),
            new Detector(PhysicalFileSystem.Instance, host, CliWrapProcessRunner.Instance),
            hooks, PhysicalFileSystem.Instance, ProcessStepFolders.Instance,
            SystemClock.Instance, host);
        using var timeout = new CancellationTokenSource(timeLimit ?? TimeSpan.FromSeconds(120));
        return await executor.RunAsync(resolver.RootCall(Request(tags, env, inputs, version)),
            new ExecutionOptions(Path.Combine(CacheDir, ".work"), Quiet: true, UserDir, null, Warnings.Add), timeout.Token);
    }

    /// <summary>The step of <paramref name="alias"/> in a run.</summary>
    public static StepRecord Step(RunResult run, string alias) => run.Steps.Single(s => s.Script == alias);

    private static string FindRepoRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Automation.sln"))) return dir;
        throw new InvalidOperationException("Automation.sln not found above the test assembly.");
    }

    private Automation.Core.Customize.PythonHookHost? pythonHost;
    private Automation.Core.Customize.PythonHookHost hooks => pythonHost ??= new(Path.Combine(Root, ".customize-host"), Python);

    /// <summary>The interpreter of the customize.py host (set before the first run to test a missing one).</summary>
    public string Python { get; set; } = Environment.GetEnvironmentVariable("CM_PYTHON_HOST") is { Length: > 0 } python ? python : "python3";

    /// <summary>How many Python children the harness's runs started so far.</summary>
    public int PythonStarts => pythonHost?.Starts ?? 0;

    public void Dispose()
    {
        pythonHost?.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>Base of the script tests: a fake-tool fixture and an engine harness, both removed after each test.</summary>
public abstract class ScriptTestBase(params string[] extraRoots) : IDisposable
{
    protected Automation.Core.Tests.Detection.FakeToolFixture Fx { get; } = new();
    protected ScriptHarness Cm { get; } = new(extraRoots);

    public void Dispose()
    {
        Cm.Dispose();
        Fx.Dispose();
        GC.SuppressFinalize(this);
    }
}
