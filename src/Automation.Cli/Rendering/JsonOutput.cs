using Automation.Core.Env;
using Automation.Core.Execution;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Rendering;

/// <summary>The `-j` document, shaped like CM's: return, env, new_env (`+KEY` values as lists), state, new_state, version, deps.</summary>
public static class JsonOutput
{
    public static JObject FromRun(RunResult result)
    {
        var root = result.Root;
        return new JObject
        {
            ["return"] = 0,
            ["script"] = root.Script,
            ["variations"] = new JArray(root.Variations),
            ["version"] = root.Outcome.Version,
            ["cached"] = root.FromCache,
            ["new_env"] = EnvJson.From(root.Outcome.NewEnv),
            ["env"] = EnvJson.From(result.Env),
            ["new_state"] = root.Outcome.NewState,
            ["steps"] = new JArray(result.Steps.Select(s => new JObject
            {
                ["script"] = s.Script,
                ["variations"] = new JArray(s.Variations),
                ["key"] = s.Key,
                ["cached"] = s.Cached,
                ["from_cache"] = s.FromCache,
                ["version"] = s.Outcome.Version,
                ["dir"] = s.WorkDir,
                ["seconds"] = Math.Round((s.Finished - s.Started).TotalSeconds, 3),
            })),
        };
    }

    public static JObject Map(IReadOnlyDictionary<string, string> map)
    {
        var o = new JObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
