using Automation.Core.Catalog;
using Automation.Core.Detection;
using Automation.Core.Execution;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Tests.Execution;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Reliability.Tests;

/// <summary>
/// The scripts we ship (scripts/), their real metas, run by the real executor over in-memory seams: run scripts and
/// built-in actions produce nothing, customize.py hooks do nothing, and every tool a `detect` looks for is found in
/// /usr/bin (or /usr/include) with a version banner that matches its regex. What is left is the engine's own env
/// handling — the layering, the deps, the new_env_keys filter — on every real meta, in milliseconds and offline.
/// </summary>
public sealed class ShippedScriptsInMemory
{
    private const string Root = "/repo/scripts";

    /// <summary>One line per tool our detect specs look for, each matching its version_regex; headers for read_file specs.</summary>
    private const string Banner = """
        8.0.100
        Python 3.12.3
        cmake version 3.28.3
        gcc (Debian 13.2.0-4) 13.2.0
        git version 2.43.0
        clang version 17.0.6
        Cuda compilation tools, release 12.4, V12.4.131
        #define CUDNN_MAJOR 9
        #define CUDNN_MINOR 1
        #define CUDNN_PATCHLEVEL 0
        #define NV_TENSORRT_MAJOR 10
        #define NV_TENSORRT_MINOR 0
        #define NV_TENSORRT_PATCH 1

        """;

    private readonly InMemoryFileSystem files = new();
    private readonly ScriptCatalog catalog;

    public ShippedScriptsInMemory()
    {
        foreach (var file in Directory.EnumerateFiles(ShippedScripts.Folder, "*", SearchOption.AllDirectories))
            files.With(Path.Combine(Root, Path.GetRelativePath(ShippedScripts.Folder, file)), File.ReadAllText(file));
        foreach (var tool in new[] { "python3", "cmake", "gcc", "git", "clang", "dotnet", "nvcc" })
            files.With("/usr/bin/" + tool, Banner, executable: true);
        foreach (var header in new[] { "cudnn_version.h", "NvInferVersion.h" })
            files.With("/usr/include/" + header, Banner);
        catalog = ScriptCatalog.Load(files, new[] { Root });
    }

    /// <summary>Every script we ship with `"cache": true`.</summary>
    public IReadOnlyList<ScriptMeta> Cached => catalog.All.Where(s => s.Cache).OrderBy(s => s.Alias, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Runs the script by alias with the caller's env and --env values; returns every cached step of the run with what
    /// its entry would hold.
    /// </summary>
    public async Task<IReadOnlyList<StepRecord>> RunAsync(string alias, IReadOnlyDictionary<string, string> callerEnv, IReadOnlyDictionary<string, string> envOverrides)
    {
        var resolver = new Resolver(catalog, fileSystem: files);
        var host = new Host();
        var processes = new Processes(files);
        var builtins = new BuiltinRegistry([new Stubs(catalog.All.Select(s => s.Builtin).OfType<string>().Distinct(StringComparer.Ordinal))]);
        var executor = new Executor(new DepDecider(resolver.Selector), new MemoryStepCache(), new StepRunner(processes, host, files), builtins,
            new Detector(files, host, processes), new NoHooks(), files, new MemoryStepFolders(files), SystemClock.Instance, host);
        var request = new RunRequest { Name = alias, CallerEnv = callerEnv, EnvOverrides = envOverrides };
        var result = await executor.RunAsync(resolver.RootCall(request), new ExecutionOptions("/work", Quiet: true, "/home/user"));
        return result.Steps.Where(s => s.Cached).ToList();
    }

    /// <summary>A run script "runs" and writes nothing; anything else is a version probe and prints the banner.</summary>
    private sealed class Processes(InMemoryFileSystem files) : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
        {
            var isRunScript = request.Arguments.Count > 0 && request.Arguments[^1].EndsWith(".sh", StringComparison.Ordinal);
            if (isRunScript && request.LogPath is not null) files.WriteAllText(request.LogPath, "");
            return Task.FromResult(new ProcessResult(0, isRunScript ? "" : Banner, ""));
        }
    }

    private sealed class Stubs(IEnumerable<string> names) : IActionModule
    {
        public IEnumerable<IBuiltinAction> Actions => names.Select(n => new Stub(n));
    }

    private sealed class Stub(string name) : IBuiltinAction
    {
        public string Name => name;
        public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new StepOutcome(new Dictionary<string, string>(), new JObject()));
    }

    private sealed class NoHooks : ICustomizeHooks
    {
        public Task<HookResult> RunAsync(HookCall call, CancellationToken cancellationToken) => Task.FromResult(HookResult.Done);
    }

    private sealed class Host : IHostEnvironment
    {
        public string? GetVariable(string name) => Variables.GetValueOrDefault(name);
        public IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/user" };
        public string CurrentDirectory => "/home/user";
        public bool IsWindows => false;
        public char PathListSeparator => ':';
    }
}
