using Automation.Core.Errors;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>One call of a customize.py hook: the env and state it may change in place, and where it runs.</summary>
public sealed record HookCall(string Hook, PreparedCall Call, Dictionary<string, string> Env, JObject State, string WorkDir);

/// <summary>What a hook returned besides its changes to env and state: CM's `skip` and `version`.</summary>
public sealed record HookResult(bool Skip = false, string? Version = null)
{
    public static HookResult Done { get; } = new();
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

