using Automation.Core.Caching;
using Automation.Core.Catalog;
using Automation.Core.Detection;
using Automation.Core.Execution;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;

namespace Automation.Cli.Hosting;

/// <summary>Composes the engine for one CLI invocation: workspace, catalog, resolver, cache and executor.</summary>
public sealed class Engine : IDisposable
{
    private Automation.Core.Customize.PythonHookHost? hooks;
    private ScriptCatalog? catalog;
    private static bool workspaceWarned;

    public Engine(string? cacheDirOverride)
    {
        Workspace = new WorkspaceLocator(PhysicalFileSystem.Instance, ProcessHostEnvironment.Instance)
            .Locate(cacheDirOverride, fallbackStart: AppContext.BaseDirectory);
        // Once per command, however many engines it composes.
        if (!workspaceWarned)
            foreach (var warning in Workspace.Warnings) Console.Error.WriteLine("warning: " + warning);
        workspaceWarned = true;
    }

    public Workspace Workspace { get; }
    public ScriptCatalog Catalog => catalog ??= ScriptCatalog.Load(PhysicalFileSystem.Instance, Workspace.ScriptRoots, Path.Combine(Workspace.CacheDir, CatalogIndexFile), warn: Warn);

    private readonly HashSet<MetaWarning> warned = [];

    /// <summary>The catalog's warnings on stderr, each once per command; verbose-only ones (duplicate keys ...) with --verbose.</summary>
    private void Warn(MetaWarning warning)
    {
        if ((!warning.VerboseOnly || Program.Verbose) && warned.Add(warning)) Console.Error.WriteLine("warning: " + warning);
    }

    /// <summary>Where the catalog index lives (docs/cache.md): beside the cache entries, which are folders.</summary>
    public const string CatalogIndexFile = ".catalog-index";
    private Resolver? resolver;

    /// <summary>How a tie between scripts is settled: asked on a terminal as CM does, the first in order otherwise.</summary>
    public IScriptChooser Chooser { get; set; } = FirstCandidate.Instance;

    /// <summary>The run's one resolver: the predictor and the executor share its selector, so a choice is asked once.</summary>
    public Resolver Resolver => resolver ??= new(Catalog, Chooser);

    public Executor CreateExecutor(IStepCache cache) =>
        new(new DepDecider(Resolver.Selector),
            cache,
            new StepRunner(CliWrapProcessRunner.Instance, ProcessHostEnvironment.Instance, PhysicalFileSystem.Instance),
            BuiltinActions.Registry(),
            new Detector(PhysicalFileSystem.Instance, ProcessHostEnvironment.Instance, CliWrapProcessRunner.Instance),
            Hooks,
            PhysicalFileSystem.Instance,
            ProcessStepFolders.Instance,
            SystemClock.Instance,
            ProcessHostEnvironment.Instance);

    /// <summary>The run's one customize.py host; its Python child starts only when a hook is reached.</summary>
    public Automation.Core.Customize.PythonHookHost Hooks => hooks ??= new(
        Path.Combine(Workspace.CacheDir, ".customize-host"),
        Environment.GetEnvironmentVariable("CM_PYTHON_HOST") is { Length: > 0 } python ? python : "python3",
        Console.Error);

    public void Dispose() => hooks?.Dispose();

    /// <param name="verifyOnReuse">Hash every file of an entry before reusing it (`cm run script --verify`).</param>
    public IStepCache CreateStepCache(bool verifyOnReuse = false) => new CacheStoreSteps(CreateStore(verifyOnReuse));

    public CacheStore CreateStore(bool verifyOnReuse = false) => new(Workspace.CacheDir, SystemClock.Instance, new CacheStoreOptions
    {
        VerifyOnReuse = verifyOnReuse,
        Warn = message => Console.Error.WriteLine("warning: " + message),
    });

    /// <summary>CM_WORK_ROOT moves the work folders of uncached steps (experiments give each point its own, so concurrent points never share one).</summary>
    public ExecutionOptions ExecutionOptions(bool quiet) =>
        new(Environment.GetEnvironmentVariable("CM_WORK_ROOT") is { Length: > 0 } w ? Path.GetFullPath(w) : Path.Combine(Workspace.CacheDir, ".work"), quiet, Environment.CurrentDirectory, Environment.ProcessPath,
            message => Console.Error.WriteLine("warning: " + message), Events: JsonlStepEvents.FromEnvironment());

    /// <summary>The caller's CM env: CM_* variables of this process.</summary>
    public static IReadOnlyDictionary<string, string> CallerEnv() =>
        ProcessHostEnvironment.Instance.Variables.Where(kv => kv.Key.StartsWith("CM_", StringComparison.Ordinal) && kv.Key != "CM_SCRIPT_PATH" && kv.Key != "CM_CACHE_DIR" && kv.Key != Automation.Core.Repos.RepoRegistry.Variable)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
