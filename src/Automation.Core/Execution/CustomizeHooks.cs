using Automation.Core.Errors;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>
/// One call of a customize.py hook: the env and state it may change in place, the call's dep lists (as the meta it
/// sees), where it runs and logs, and the way back into the engine for nested runs (`mlc.access`).
/// </summary>
public sealed record HookCall(string Hook, PreparedCall Call, Dictionary<string, string> Env, JObject State, string WorkDir)
{
    /// <summary>The step's log, where the hook's output and a failing hook's Python traceback are written.</summary>
    public string? LogPath { get; init; }
    /// <summary>Where the step's log is kept if the step fails (an error message names this one).</summary>
    public string? KeptLogPath { get; init; }
    public bool Quiet { get; init; }
    /// <summary>The tags the call was asked for (CM's script_tags) besides its variations.</summary>
    public IReadOnlyList<string> ScriptTags { get; init; } = [];
    /// <summary>Answers an `access` request of the hook (a nested run, a search) in the same engine run.</summary>
    public Func<JObject, CancellationToken, Task<JObject>>? Access { get; init; }
}

/// <summary>What a hook returned besides its changes to env and state: CM's `skip` and `version`, and a changed meta.</summary>
public sealed record HookResult(bool Skip = false, string? Version = null)
{
    public static HookResult Done { get; } = new();

    /// <summary>The meta as the hook left it (e.g. `automation.update_deps` on its prehook_deps); null when unchanged.</summary>
    public JObject? Meta { get; init; }
    /// <summary>The run script the hook chose (`run_script_input['script_name']`, e.g. `install`); null for CM's default.</summary>
    public string? ScriptName { get; init; }
    /// <summary>`add_extra_cache_tags`: tags the hook adds to the call's cache entry.</summary>
    public IReadOnlyList<string> ExtraCacheTags { get; init; } = [];
    /// <summary>With `skip`: the script to run instead (CM's `'script': {'tags': ...}`), as the hook wrote it.</summary>
    public JObject? Instead { get; init; }
}

/// <summary>Runs the Python hooks of CM/MLC scripts (customize.py) at their points of the run order.</summary>
public interface ICustomizeHooks
{
    Task<HookResult> RunAsync(HookCall call, CancellationToken cancellationToken);
}

/// <summary>The hooks seam until a Python host is configured: a hook that must run is a clear error, never skipped.</summary>
public sealed class NoCustomizeHooks : ICustomizeHooks
{
    public static NoCustomizeHooks Instance { get; } = new();

    public Task<HookResult> RunAsync(HookCall call, CancellationToken cancellationToken) =>
        throw new AutomationException(
            $"script '{call.Call.Script.Alias}' needs its customize.py ({call.Hook}), which this engine does not run yet",
            Path.Combine(call.Call.Script.Directory, CustomizeScript.FileName), call.Call.Script.Alias,
            "Express the hook's logic declaratively in the meta (env, detect) or in run.sh; `cm run script ... --dry-run` shows the plan without running it (docs/cm-compatibility.md).");
}

