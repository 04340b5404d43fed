using Automation.Core.Errors;
using Automation.Core.Meta;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Records.ArtifactEvaluation;

/// <summary>What a claim expects of its figure: a bound, a value with a tolerance, or an exact word.</summary>
public sealed record Expectation(string? Env, string? Regex, double? Min, double? Max, double? Value, double? Tolerance, string? EqualsText)
{
    public string Describe() =>
        EqualsText is not null ? $"= {EqualsText}"
        : Value is not null ? $"{Value} ± {Tolerance ?? 0}"
        : string.Join(" and ", new[] { Min is { } lo ? $"≥ {lo}" : null, Max is { } hi ? $"≤ {hi}" : null }.OfType<string>());
}

/// <summary>One claim: the command that reproduces it, its reduced (smoke) arguments, and the expected figure.</summary>
public sealed record Claim(string Id, string Description, string Command, IReadOnlyList<string> SmokeArgs, Expectation Expect, int TimeoutSeconds);

/// <summary>A claims file (claims.json, or YAML): the artifact's name and its claims (docs/records.md).</summary>
public sealed record ClaimsFile(string Path, string Artifact, IReadOnlyList<Claim> Claims)
{
    public static ClaimsFile Load(string path)
    {
        if (!File.Exists(path))
            throw new AutomationException($"claims file '{path}' does not exist", path, fix: "Pass a claims.json (or .yaml); see ae/claims.json and docs/records.md.");
        JObject root;
        try
        {
            var text = File.ReadAllText(path);
            root = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JObject.Parse(text) : YamlMeta.ToJson(text, path);
        }
        catch (JsonReaderException e) { throw new AutomationException($"claims file '{path}' is not valid JSON: {e.Message}", path, fix: "Fix the JSON syntax."); }
        var claims = new List<Claim>();
        foreach (var (c, i) in (root["claims"] as JArray ?? throw Bad(path, "has no 'claims' list")).Select((c, i) => (c as JObject ?? throw Bad(path, $"claim {i + 1} is not an object"), i)))
        {
            var id = (string?)c["id"] ?? $"claim-{i + 1}";
            var command = (string?)c["command"] ?? throw Bad(path, $"claim '{id}' has no 'command'");
            var expect = c["expect"] as JObject ?? throw Bad(path, $"claim '{id}' has no 'expect' object");
            var e = new Expectation((string?)expect["env"], (string?)expect["regex"], (double?)expect["min"], (double?)expect["max"],
                (double?)expect["value"], (double?)expect["tolerance"], (string?)expect["equals"]);
            if (e.Env is null == (e.Regex is null))
                throw Bad(path, $"claim '{id}' must name exactly one of expect.env (a key of the command's -j new_env) or expect.regex (over its stdout)");
            if (e.Min is null && e.Max is null && e.Value is null && e.EqualsText is null)
                throw Bad(path, $"claim '{id}' expects nothing: give expect.min, expect.max, expect.value (+ tolerance) or expect.equals");
            var smoke = c["smoke_args"] switch
            {
                JArray a => a.Select(t => (string)t!).ToList(),
                JValue { Type: JTokenType.String } s => CommandLine.Split((string)s!),
                _ => [],
            };
            claims.Add(new Claim(id, (string?)c["description"] ?? "", command, smoke, e, (int?)c["timeout_s"] ?? 3600));
        }
        return new ClaimsFile(System.IO.Path.GetFullPath(path), (string?)root["artifact"] ?? System.IO.Path.GetFileNameWithoutExtension(path), claims);
    }

    private static AutomationException Bad(string path, string what) =>
        new($"claims file '{path}' {what}", path, fix: "See ae/claims.json and docs/records.md for the format.");
}
