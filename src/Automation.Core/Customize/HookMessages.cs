using Automation.Core.Env;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Core.Meta;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Customize;

/// <summary>
/// The engine's half of the host protocol's payloads (docs/customize-host.md): the `i` a hook gets, and what its
/// result does to the call's env, state and meta.
/// </summary>
public static class HookMessages
{
    private static readonly (DepPhase Phase, string Key)[] DepKeys =
        [(DepPhase.Deps, "deps"), (DepPhase.Prehook, "prehook_deps"), (DepPhase.Posthook, "posthook_deps"), (DepPhase.Post, "post_deps")];

    public static JObject Call(int id, HookCall call) => new()
    {
        ["op"] = "call",
        ["id"] = id,
        ["customize"] = Path.Combine(call.Call.Script.Directory, CustomizeScript.FileName),
        ["hook"] = call.Hook,
        ["i"] = Input(call),
    };

    /// <summary>The JSON part of CM's `i` (the host adds os_info, automation and the artifact object).</summary>
    public static JObject Input(HookCall call)
    {
        var script = call.Call.Script;
        var meta = Meta(call);
        var input = new JObject
        {
            ["tags"] = string.Join(',', call.ScriptTags.Concat(call.Call.Node.Variations.Select(v => "_" + v))),
            ["quiet"] = call.Quiet,
        };
        foreach (var (k, v) in call.Call.Request?.Inputs ?? ScriptMeta.Empty) input[k] = v;
        return new JObject
        {
            ["env"] = EnvJson.From(call.Env),
            ["state"] = call.State,
            ["meta"] = meta,
            ["const"] = new JObject(),
            ["const_state"] = new JObject(),
            ["input"] = input,
            ["variation_tags"] = new JArray(call.Call.Node.Variations),
            ["script_tags"] = new JArray(call.ScriptTags),
            ["recursion_spaces"] = "  ",
            ["work_dir"] = call.WorkDir,
            ["run_script_input"] = new JObject
            {
                ["path"] = script.Directory,
                ["bat_ext"] = OperatingSystem.IsWindows() ? ".bat" : ".sh",
                // Empty, as CM has none at hook time: hooks choose the run script by setting it (docs/customize-host.md).
                ["script_name"] = "",
                ["add_deps_recursive"] = Overrides(call.Call.Adr),
                ["run_state"] = new JObject
                {
                    ["script_id"] = script.Alias + "," + script.Uid,
                    ["script_variation_tags"] = new JArray(call.Call.Node.Variations),
                    ["version_info"] = new JArray(),
                },
                ["tmp_file_run_state"] = RunScriptProtocol.StateFile,
                ["tmp_file_run_env"] = RunScriptProtocol.EnvFile,
                ["tmp_file_ver"] = "tmp-ver.out",
                ["tmp_file_run"] = "tmp-run",
                ["tmp_file_state"] = "tmp-state.json",
                ["tmp_file_env"] = "tmp-env",
                ["recursion_spaces"] = "  ",
                ["env_prefix"] = script.EnvPrefix,
                ["meta"] = meta.DeepClone(),
            },
            ["artifact"] = new JObject
            {
                ["path"] = script.Directory,
                ["alias"] = script.Alias,
                ["uid"] = script.Uid,
                ["repo"] = script.Repo,
                ["meta"] = meta.DeepClone(),
            },
        };
    }

    /// <summary>`adr` overrides as CM's dicts hold them (NAME → tags, env, versions).</summary>
    private static JObject Overrides(IReadOnlyDictionary<string, DepOverride> adr)
    {
        var o = new JObject();
        foreach (var (name, d) in adr)
        {
            var entry = new JObject();
            if (d.Tags.Count > 0) entry["tags"] = string.Join(',', d.Tags);
            if (d.Env.Count > 0) entry["env"] = EnvJson.From(d.Env);
            if (d.Version is not null) entry["version"] = d.Version;
            if (d.VersionMin is not null) entry["version_min"] = d.VersionMin;
            if (d.VersionMax is not null) entry["version_max"] = d.VersionMax;
            if (d.VersionMaxUsable is not null) entry["version_max_usable"] = d.VersionMaxUsable;
            o[name] = entry;
        }
        return o;
    }

    /// <summary>The script's meta with its dep lists as this call merged them (variations' deps, ad/adr applied).</summary>
    public static JObject Meta(HookCall call)
    {
        var meta = (JObject)call.Call.Script.Raw.DeepClone();
        foreach (var (phase, key) in DepKeys)
            meta[key] = new JArray(call.Call.Phase(phase).Select(d => d.ToJson()));
        return meta;
    }

    /// <summary>
    /// Applies a `result` message to the call: env and state are taken over wholesale (hooks change them in place);
    /// a non-zero return is a failure whose traceback goes to the step log.
    /// </summary>
    public static HookResult Apply(JObject result, HookCall call, JObject sentMeta)
    {
        if (result.Value<int?>("return") is > 0) throw Failure(result, call);
        if (result["env"] is JObject env)
        {
            call.Env.Clear();
            foreach (var p in env.Properties())
                if (EnvJson.Value(p.Name, p.Value) is { } value) call.Env[p.Name] = value;
        }
        if (result["state"] is JObject state)
        {
            call.State.RemoveAll();
            foreach (var p in state.Properties()) call.State[p.Name] = p.Value;
        }
        var meta = result["meta"] as JObject;
        var extra = result["extra"] as JObject;
        return new HookResult(result.Value<bool?>("skip") == true, EnvJson.Text(result["version"]))
        {
            Meta = meta is not null && !JToken.DeepEquals(meta, sentMeta) ? meta : null,
            ScriptName = result.Value<string>("script_name") is { Length: > 0 } name ? name : null,
            ExtraCacheTags = extra?["add_extra_cache_tags"] switch
            {
                JArray tags => tags.Select(t => t.ToString()).ToList(),
                JValue { Type: JTokenType.String } text => Catalog.TagQuery.Split(text.ToString()).ToList(),
                _ => [],
            },
            Instead = extra?["script"] as JObject is { Count: > 0 } instead ? instead : null,
        };
    }

    private static CustomizeHookException Failure(JObject result, HookCall call)
    {
        var script = call.Call.Script;
        var file = Path.Combine(script.Directory, CustomizeScript.FileName);
        var line = result.Value<int?>("line");
        var where = line is { } n ? $"{file}:{n}" : file;
        var kind = result.Value<string>("error_kind") ?? "returned";
        var error = (result.Value<string>("error") ?? "no error message").Trim();
        if (result.Value<string>("traceback") is { Length: > 0 } traceback && call.LogPath is { } log)
        {
            try { File.AppendAllText(log, $"--- customize.py {call.Hook} of {script.Alias} failed ---\n{traceback}\n"); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        var what = kind switch
        {
            "exception" => $"raised {error}",
            "syntax" => $"could not be loaded: syntax error: {error}",
            "import" => $"could not be loaded: {error}",
            _ => $"returned an error: {error}",
        };
        var fix = kind switch
        {
            "syntax" => $"Fix the syntax error in {where}.",
            "import" => $"Install the Python module it imports (Debian python3-* packages), or set PYTHONPATH; the script's deps may be missing a step that provides it.",
            _ => $"The message comes from the script itself: check its inputs and env (`cm run script ... --dry-run` shows the plan), then {where}.",
        } + ((call.KeptLogPath ?? call.LogPath) is { } l && kind is "exception" or "import" or "syntax" ? $" The full Python traceback is in {l}." : "");
        return new CustomizeHookException($"customize.py {call.Hook}() of script '{script.Alias}' {what} (at {where})", where, script.Alias, fix.Trim());
    }
}

/// <summary>A customize.py hook failed: returned an error, raised, or could not be loaded.</summary>
public sealed class CustomizeHookException(string message, string file, string script, string fix) : AutomationException(message, file, script, fix);
