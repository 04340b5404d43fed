using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>systems/&lt;system&gt;.json has every required field, sensible values, and matches its folder.</summary>
public static class SystemDescriptionRule
{
    public const string Name = "system-description";

    public static IEnumerable<RuleMessage> Check(JObject? json, string path, string division, string submitter)
    {
        if (json is null)
        {
            yield return RuleMessage.Error("system description is missing or not JSON", path);
            yield break;
        }
        foreach (var field in SystemDescription.RequiredFields.Where(f => json[f] is null))
            yield return RuleMessage.Error($"required field \"{field}\" is missing", path);
        foreach (var field in SystemDescription.MeaningfulFields.Where(f => json[f] is { } v && IsEmpty(v)))
            yield return RuleMessage.Error($"field \"{field}\" needs a meaningful value but is empty", path);
        if ((string?)json["status"] is { } status && !MlperfRules.Statuses.Contains(status.ToLowerInvariant()))
            yield return RuleMessage.Error($"status '{status}' is not one of {string.Join(", ", MlperfRules.Statuses)}", path);
        if ((string?)json["system_type"] is { } type && !MlperfRules.SystemTypes.Contains(type))
            yield return RuleMessage.Error($"system_type '{type}' is not one of {string.Join(", ", MlperfRules.SystemTypes)}", path);
        if ((string?)json["submitter"] is { } named && !named.Equals(submitter, StringComparison.OrdinalIgnoreCase))
            yield return RuleMessage.Error($"submitter is '{named}' but the folder is '{submitter}'", path);
        if ((string?)json["division"] is { } declared && !declared.Equals(division, StringComparison.OrdinalIgnoreCase))
            yield return RuleMessage.Error($"division is '{declared}' but the folder is '{division}'", path);
        var isNetwork = string.Equals((string?)json["is_network"], "true", StringComparison.OrdinalIgnoreCase);
        if ((division == "network") != isNetwork && division != "open")
            yield return RuleMessage.Error($"is_network is {isNetwork.ToString().ToLowerInvariant()}, which the {division} division does not allow", path);
    }

    private static bool IsEmpty(JToken value) => value.Type switch
    {
        JTokenType.Null => true,
        JTokenType.String => ((string?)value)!.Length == 0,
        JTokenType.Integer => (long)value == 0,
        JTokenType.Boolean => !(bool)value,
        _ => false,
    };

    public static JObject? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JObject.Parse(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Closed and network results cover every scenario the benchmark requires for the system's type, and no others.</summary>
public static class RequiredScenariosRule
{
    public const string Name = "required-scenarios";

    public static IEnumerable<RuleMessage> Check(string benchmarkDir, BenchmarkRules rules, string? systemType, IReadOnlyCollection<string> scenarios)
    {
        if (systemType is null || !MlperfRules.SystemTypes.Contains(systemType)) yield break;
        if (MlperfRules.RequiredScenarios(rules, systemType) is not { } required)
        {
            yield return RuleMessage.Error($"{rules.Name} is not a {systemType} benchmark in {MlperfRules.Version}", benchmarkDir);
            yield break;
        }
        var missing = required.Except(scenarios).ToList();
        if (missing.Count > 0) yield return RuleMessage.Error($"{rules.Name} on a {systemType} system needs scenario(s) {string.Join(", ", missing)}", benchmarkDir);
        var unknown = scenarios.Except(required).ToList();
        if (unknown.Count > 0) yield return RuleMessage.Error($"scenario(s) {string.Join(", ", unknown)} are not {rules.Name} {systemType} scenarios", benchmarkDir);
    }
}
