using Automation.Core.Catalog;
using Automation.Core.Detection;
using Automation.Core.Execution;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Tests.Execution;

/// <summary>
/// The real Executor and Resolver over in-memory seams: scripts live in an <see cref="InMemoryFileSystem"/>, run
/// scripts are "run" by a process runner that calls back into the test, customize.py hooks are recorded, and the
/// cache is a dictionary. Every step appends to <see cref="Log"/>, so tests assert CM's order directly.
/// </summary>
public sealed class InMemoryEngine
{
    private readonly List<ScriptMeta> scripts = [];
    private readonly Dictionary<string, Action<RunScript>> runScripts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Alias, string Hook), Func<HookCall, HookResult>> hookBodies = new();

    public InMemoryFileSystem Files { get; } = new();
    public List<string> Log { get; } = [];
    public MemoryStepCache Cache { get; } = new();
    public List<string> Warnings { get; } = [];

    /// <summary>What a fake run script sees: its env and work folder; it reports back through <see cref="Export"/>.</summary>
    public sealed record RunScript(string Alias, IReadOnlyDictionary<string, string> Env, string WorkDir, InMemoryFileSystem Files)
    {
        public void Export(params (string Key, string Value)[] pairs) =>
            Files.WriteAllText(Path.Combine(WorkDir, RunScriptProtocol.EnvFile), Automation.Core.Env.EnvFile.Format(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))));
    }

    /// <summary>Adds a script; <paramref name="run"/> makes it have a run.sh, <paramref name="hooks"/> a customize.py defining them.</summary>
    public InMemoryEngine Script(string metaJson, Action<RunScript>? run = null, params string[] hooks)
    {
        var alias = JObject.Parse(metaJson).Value<string>("alias")!;
        var dir = $"/lib/script/{alias}";
        Files.With($"{dir}/_cm.json", metaJson);
        if (run is not null)
        {
            Files.With($"{dir}/run.sh", "#!/bin/bash\n");
            runScripts[alias] = run;
        }
        if (hooks.Length > 0)
            Files.With($"{dir}/{CustomizeScript.FileName}", string.Concat(hooks.Select(h => $"def {h}(i):\n    return {{'return': 0}}\n")));
        scripts.Add(MetaReader.Parse(metaJson, $"{dir}/_cm.json", dir) with { HasCustomizePy = hooks.Length > 0, Repo = "test", EnvPrefix = "CM_" });
        return this;
    }

    /// <summary>
    /// What a hook of a script does besides being logged (change env, ask to skip, return a version); the keys it sets
    /// are written into its customize.py as a real one names them, which is what a prediction reads.
    /// </summary>
    public InMemoryEngine Hook(string alias, string hook, Func<HookCall, HookResult> body, params string[] setsKeys)
    {
        hookBodies[(alias, hook)] = body;
        var path = $"/lib/script/{alias}/{CustomizeScript.FileName}";
        Files.WriteAllText(path, Files.ReadAllText(path) + string.Concat(setsKeys.Select(k => $"    # sets env['{k}']\n")));
        return this;
    }

    public ScriptCatalog Catalog() => new(scripts);

    public Plan Predict(string tags, IReadOnlyDictionary<string, string>? env = null) =>
        new Resolver(Catalog(), fileSystem: Files).Resolve(Request(tags, env));

    public Task<RunResult> RunAsync(string tags, IReadOnlyDictionary<string, string>? env = null)
    {
        var resolver = new Resolver(Catalog(), fileSystem: Files);
        var host = new FakeHost();
        var processes = new FakeProcesses(this);
        var executor = new Executor(new DepDecider(resolver.Selector), Cache,
            new StepRunner(processes, host, Files), BuiltinRegistry.Empty, new Detector(Files, host, processes),
            new RecordingHooks(this), Files, new MemoryStepFolders(Files), new FixedClock(), host);
        return executor.RunAsync(resolver.RootCall(Request(tags, env)), new ExecutionOptions("/work", Quiet: true, "/home/user", null, Warnings.Add));
    }

    private static RunRequest Request(string tags, IReadOnlyDictionary<string, string>? env) =>
        new() { Tags = TagQuery.Split(tags), EnvOverrides = env ?? ScriptMeta.Empty };

    private sealed class FakeProcesses(InMemoryEngine engine) : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
        {
            var runScript = request.Arguments[^1];
            var alias = Path.GetFileName(Path.GetDirectoryName(runScript))!;
            engine.Log.Add($"{alias}: {Path.GetFileName(runScript)}");
            var env = request.Environment ?? ScriptMeta.Empty;
            engine.runScripts[alias](new RunScript(alias, env, request.WorkingDirectory!, engine.Files));
            if (request.LogPath is not null) engine.Files.WriteAllText(request.LogPath, $"ran {alias}\n");
            return Task.FromResult(new ProcessResult(0, "", ""));
        }
    }

    private sealed class RecordingHooks(InMemoryEngine engine) : ICustomizeHooks
    {
        public Task<HookResult> RunAsync(HookCall call, CancellationToken cancellationToken)
        {
            engine.Log.Add($"{call.Call.Script.Alias}: {call.Hook}");
            return Task.FromResult(engine.hookBodies.TryGetValue((call.Call.Script.Alias, call.Hook), out var body) ? body(call) : HookResult.Done);
        }
    }

    private sealed class FakeHost : IHostEnvironment
    {
        public string? GetVariable(string name) => null;
        public IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string> { ["PATH"] = "/usr/bin" };
        public string CurrentDirectory => "/home/user";
        public bool IsWindows => false;
        public char PathListSeparator => ':';
    }

    private sealed class FixedClock : IClock
    {
        public DateTimeOffset UtcNow { get; } = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    }
}
