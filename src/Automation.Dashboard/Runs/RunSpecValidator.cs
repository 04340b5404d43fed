using System.Text.RegularExpressions;
using Automation.Core.Catalog;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>A run the form asked for, checked against the script's meta, with the child's argument list.</summary>
public sealed record ValidatedRun(
    ScriptMeta Script,
    IReadOnlyList<string> Variations,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> Inputs,
    string TagsArgument)
{
    /// <summary>An existing folder the user chose for `results_dir`; null: the run's own `results/` folder.</summary>
    public string? ResultsDir { get; init; }

    /// <summary>Inputs the dashboard points into the run's own folder (name → path relative to it), e.g. a workflow's submission_dir.</summary>
    public IReadOnlyDictionary<string, string> RunFolderInputs { get; init; } = new Dictionary<string, string>();

    public bool HasResultsDir => Script.InputMapping.ContainsKey(RunSpecValidator.ResultsDirInput);

    /// <summary>The folder the run writes its results to, for a run in <paramref name="runDir"/>; null when the script takes no results_dir.</summary>
    public string? ResultsFolder(string runDir) => HasResultsDir ? ResultsDir ?? Path.Combine(runDir, DashboardRun.ResultsFolder) : null;

    /// <summary>The child's arguments after the cm binary: a list, never a shell line.</summary>
    public IReadOnlyList<string> Arguments(string cacheDir, string runDir)
    {
        var args = new List<string> { "run", "script", TagsArgument };
        args.AddRange(Env.Select(kv => $"--env.{kv.Key}={kv.Value}"));
        args.AddRange(Inputs.Select(kv => $"--{kv.Key}={kv.Value}"));
        if (ResultsFolder(runDir) is { } results) args.Add($"--{RunSpecValidator.ResultsDirInput}={results}");
        args.AddRange(RunFolderInputs.Select(kv => $"--{kv.Key}={Path.Combine(runDir, kv.Value)}"));
        args.AddRange(["-j", "--cache-dir", cacheDir]);
        return args;
    }

    /// <summary>What a re-run sends to <see cref="RunSpecValidator.Validate"/> again: the form's fields.</summary>
    public JObject ToJson()
    {
        var inputs = Json.Map(Inputs);
        if (ResultsDir is not null) inputs[RunSpecValidator.ResultsDirInput] = ResultsDir;
        return new JObject
        {
            ["script"] = Script.Alias,
            ["variations"] = new JArray(Variations),
            ["env"] = Json.Map(Env),
            ["inputs"] = inputs,
        };
    }
}

/// <summary>
/// Turns the form's JSON into a <see cref="ValidatedRun"/> or a 400 message: names and values by pattern, variations,
/// env keys and inputs by the script's meta, then the resolver itself (groups, conflicts, versions) before anything starts.
/// </summary>
public sealed partial class RunSpecValidator(ScriptCatalog catalog, ResultsFolders folders)
{
    public const string ResultsDirInput = "results_dir";
    private const int MaxValueLength = 4096;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")]
    private static partial Regex VariationPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvKeyPattern();

    public ValidatedRun Validate(JObject? body)
    {
        if (body is null) throw Bad("the request body must be a JSON object {script, variations, env, inputs}");
        var alias = body["script"] switch
        {
            null or { Type: JTokenType.Null } => "",
            JValue { Type: JTokenType.String } text => (string)text!,
            var other => throw Bad($"'script' must be one script's alias as a string, not a {other.Type.ToString().ToLowerInvariant()}", "Pick a script from the Scripts page."),
        };
        if (!NamePattern().IsMatch(alias)) throw Bad($"'{alias}' is not a script alias", "Pick a script from the Scripts page.");
        var script = catalog.FindByAliasOrUid(alias) ?? throw Bad($"no script is called '{alias}'", "Pick a script from the Scripts page.");

        var variations = Strings(body["variations"], "variations").Select(v => v.TrimStart('_')).Distinct(StringComparer.Ordinal).ToList();
        foreach (var v in variations)
        {
            if (!VariationPattern().IsMatch(v) || !IsVariationOf(script, v))
                throw Bad($"'_{v}' is not a variation of script '{script.Alias}'", script.Variations.Count == 0 ? "This script has no variations." : $"Use one of: {string.Join(", ", script.Variations.Values.Where(s => !s.IsCombined).Select(s => "_" + s.Key))}.");
        }

        var env = Pairs(body["env"], "env");
        var knownEnv = KnownEnvKeys(script, variations);
        foreach (var (key, value) in env)
        {
            if (!EnvKeyPattern().IsMatch(key)) throw Bad($"'{key}' is not an env variable name", "Use letters, digits and underscores, e.g. CM_MLPERF_THREADS.");
            if (!knownEnv.Contains(key)) throw Bad($"script '{script.Alias}' and its dependencies do not use env key '{key}'", "Only keys the script's meta or its plan mention can be set from the dashboard.");
            CheckValue(key, value);
        }

        var inputs = Pairs(body["inputs"], "inputs");
        foreach (var (name, value) in inputs)
        {
            if (!script.InputMapping.ContainsKey(name))
                throw Bad($"script '{script.Alias}' has no input '{name}'", $"Its inputs are: {string.Join(", ", script.InputMapping.Keys.Where(k => k != ResultsDirInput))}.");
            CheckValue(name, value);
        }

        string? resultsDir = null;
        if (inputs.Remove(ResultsDirInput, out var chosen))
            resultsDir = folders.Existing(chosen) ?? throw Bad(
                $"results_dir '{chosen}' is not an existing folder inside the workspace or one given to `cm serve --results_dir`; leave it empty and it is chosen by the dashboard (each run writes into its own folder)",
                $"Pick a folder under {string.Join(" or ", folders.WritableRoots)}.");

        var tags = script.Tags.Concat(variations.Select(v => "_" + v)).ToList();
        try
        {
            // The child selects by tags; make sure they pick this script, then let the resolver check the whole request.
            var selected = new Resolver(catalog).SelectScript(TagQuery.FromTags(script.Tags), "the dashboard");
            if (selected.Alias != script.Alias) throw Bad($"the tags of '{script.Alias}' also select '{selected.Alias}'", "Give the script a tag of its own.");
            new Resolver(catalog).Resolve(new RunRequest { Name = script.Alias, Tags = variations.Select(v => "_" + v).ToList(), EnvOverrides = env, Inputs = inputs });
        }
        catch (AutomationException e) when (e is not DashboardRequestException)
        {
            throw new DashboardRequestException(e.Message, e.Fix);
        }
        return new ValidatedRun(script, variations, env, inputs, "--tags=" + string.Join(',', tags)) { ResultsDir = resultsDir };
    }

    private static bool IsVariationOf(ScriptMeta script, string name)
    {
        if (script.Variations.TryGetValue(name, out var spec)) return !spec.IsCombined;
        if (script.Variations.Values.Any(s => s.Alias == name)) return true;
        return script.Variations.Values.Any(s => s.IsWildcard && name.StartsWith(s.Key[..^1], StringComparison.Ordinal) && name.Length > s.Key.Length - 1);
    }

    /// <summary>Env keys the meta of the script or of any script in its default plan names.</summary>
    private HashSet<string> KnownEnvKeys(ScriptMeta script, IReadOnlyList<string> variations)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        void AddMeta(ScriptMeta m)
        {
            keys.UnionWith(m.Env.Keys);
            keys.UnionWith(m.DefaultEnv.Keys);
            keys.UnionWith(m.InputMapping.Values);
            keys.UnionWith(m.NewEnvKeys.Where(k => !k.Contains('*')));
            foreach (var v in m.Variations.Values) { keys.UnionWith(v.Env.Keys); keys.UnionWith(v.DefaultEnv.Keys); }
        }
        AddMeta(script);
        try
        {
            var plan = new Resolver(catalog).Resolve(new RunRequest { Name = script.Alias, Tags = variations.Select(v => "_" + v).ToList() });
            foreach (var node in plan.Nodes) { AddMeta(node.Script); keys.UnionWith(node.Env.Keys); }
        }
        catch (AutomationException) { } // the full check below reports it
        return keys;
    }

    private static void CheckValue(string name, string value)
    {
        if (value.Length > MaxValueLength) throw Bad($"the value of '{name}' is longer than {MaxValueLength} characters");
        if (value.Any(char.IsControl)) throw Bad($"the value of '{name}' holds a control character (newline, tab or NUL)", "Values are single-line text.");
    }

    private static List<string> Strings(JToken? token, string field) => token switch
    {
        null or { Type: JTokenType.Null } => [],
        JArray array when array.Count <= 64 && array.All(t => t.Type == JTokenType.String) => array.Select(t => (string)t!).Where(s => s.Length > 0).ToList(),
        JValue { Type: JTokenType.String } v => ((string)v!).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        _ => throw Bad($"'{field}' must be a list of strings"),
    };

    private static Dictionary<string, string> Pairs(JToken? token, string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (token is null || token.Type == JTokenType.Null) return result;
        if (token is not JObject o || o.Count > 128) throw Bad($"'{field}' must be an object of name: value strings");
        foreach (var p in o.Properties())
        {
            if (p.Value.Type is not (JTokenType.String or JTokenType.Integer or JTokenType.Float or JTokenType.Boolean))
                throw Bad($"'{field}.{p.Name}' must be a string");
            var text = p.Value.Type == JTokenType.Boolean ? ((bool)p.Value ? "yes" : "no") : Convert.ToString(((JValue)p.Value).Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (text.Length > 0) result[p.Name] = text;
        }
        return result;
    }

    private static DashboardRequestException Bad(string message, string? fix = null) => new(message, fix);
}

/// <summary>A request the dashboard refuses with 400 and this message.</summary>
public sealed class DashboardRequestException(string message, string? fix = null) : AutomationException(message, fix: fix);
