using Automation.Core.Catalog;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Versioning;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>
/// What customize.py asks of the engine, in CM's dicts, and the engine's answers in CM's dicts: `access` requests
/// (a nested run, a search of scripts or cache entries), and a meta whose dep lists a hook changed. Pure: the
/// executor runs what these describe.
/// </summary>
public static class HookRequests
{
    public enum Kind { Run, SearchScripts, SearchCache, Unsupported }

    public sealed record Access(Kind Kind, string Action, string Automation, IReadOnlyList<string> Tags);

    /// <summary>The request's action, automation (`script`/`cache`, cut at a comma as CM's uids follow it) and tags.</summary>
    public static Access Read(JObject request)
    {
        var action = request.Value<string>("action") ?? "run";
        var automation = (request.Value<string>("automation") ?? request.Value<string>("target") ?? "script").Split(',')[0];
        var kind = (automation, action) switch
        {
            ("cache", "search" or "find" or "show") => Kind.SearchCache,
            ("script", "search" or "find") => Kind.SearchScripts,
            ("script", "run") => Kind.Run,
            _ => Kind.Unsupported,
        };
        return new Access(kind, action, automation, Tags(request));
    }

    private static List<string> Tags(JObject request) =>
        request["tags"] is JArray list ? list.Select(t => t.ToString()).ToList() : TagQuery.Split(request.Value<string>("tags") ?? "").ToList();

    /// <summary>
    /// The call a `run` request makes: the script for its tags, its env (the request's, else the caller's less its
    /// local keys), the inputs the script knows, its version fields, and the caller's overrides from above.
    /// </summary>
    public static CallRequest Call(JObject request, PreparedCall caller, IReadOnlyDictionary<string, string> callerEnv, ScriptSelector selector,
        IReadOnlyDictionary<string, string> envOverrides)
    {
        var query = TagQuery.FromTags(Tags(request));
        var who = $"customize.py of '{caller.Script.Alias}'";
        var script = selector.Select(query, who);
        var env = request["env"] is JObject given
            ? given.Properties().Select(p => (p.Name, Value: EnvJson.Value(p.Name, p.Value))).Where(p => p.Value is not null).ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal)
            : EnvRules.ForDep(callerEnv, [], ScriptMeta.Empty, EnvRules.LocalKeys(caller.Script.EnvPrefix));
        var inputs = request.Properties()
            .Where(p => p.Value is JValue { Type: not JTokenType.Null } && (script.InputMapping.ContainsKey(p.Name) || EngineInputs.EnvKey(p.Name, script.EnvPrefix) is not null))
            .ToDictionary(p => p.Name, p => EnvJson.Value(p.Name, p.Value) ?? "", StringComparer.Ordinal);
        return new CallRequest
        {
            Script = script,
            Variations = query.Variations,
            ExcludedVariations = query.ExcludedVariations,
            Env = env,
            Inputs = inputs,
            EnvOverrides = envOverrides,
            Version = new VersionConstraint(request.Value<string>("version"), request.Value<string>("version_min"), request.Value<string>("version_max"),
                request.Value<string>("version_max_usable"), who),
            Adr = caller.Adr,
            ScriptTags = query.Required,
        };
    }

    /// <summary>CM's answer to a run: return 0, new_env and env (`+KEY` lists), new_state and state, version.</summary>
    public static JObject Ran(IReadOnlyDictionary<string, string> startEnv, StepOutcome outcome, char pathListSeparator)
    {
        var after = new Dictionary<string, string>(startEnv, StringComparer.Ordinal);
        EnvRules.MergeInto(after, outcome.NewEnv, pathListSeparator);
        var result = new JObject
        {
            ["return"] = 0,
            ["new_env"] = EnvJson.From(outcome.NewEnv),
            ["env"] = EnvJson.From(after),
            ["new_state"] = outcome.NewState.DeepClone(),
            ["state"] = outcome.NewState.DeepClone(),
            ["deps"] = new JArray(),
        };
        if (outcome.Version is { } v) result["version"] = v;
        return result;
    }

    /// <summary>A script as a search lists it (the host turns these into objects with `.path` and `.meta`).</summary>
    public static JObject Describe(ScriptMeta script) => new()
    {
        ["path"] = script.Directory, ["alias"] = script.Alias, ["uid"] = script.Uid, ["meta"] = script.Raw.DeepClone(),
    };

    public static JObject Found(IEnumerable<JObject> items) => new() { ["return"] = 0, ["list"] = new JArray(items) };

    public static JObject Unsupported(Access access) =>
        new() { ["return"] = 1, ["error"] = $"access action '{access.Action}' on automation '{access.Automation}' is not supported by this engine (docs/customize-host.md)" };

    /// <summary>The call with its dep lists as a hook left them in its meta (CM's hooks edit meta['prehook_deps'] in place).</summary>
    public static PreparedCall WithDepsFrom(PreparedCall prepared, JObject meta)
    {
        var script = prepared.Script;
        var phases = new[] { (DepPhase.Deps, "deps"), (DepPhase.Prehook, "prehook_deps"), (DepPhase.Posthook, "posthook_deps"), (DepPhase.Post, "post_deps") };
        var deps = prepared.DepSpecs.Where(d => d.Phase == DepPhase.Install).ToList();
        foreach (var (phase, key) in phases)
            deps.AddRange(MetaReader.ReadDeps(meta, key, script.MetaFile, script.Alias).Select(d => (phase, d)));
        return prepared with { DepSpecs = deps };
    }
}
