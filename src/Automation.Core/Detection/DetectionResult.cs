using Automation.Core.Versioning;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Detection;

/// <summary>The chosen install: its path, version, the env to export and why it was chosen.</summary>
public sealed record DetectionResult(
    string Path,
    ToolVersion Version,
    IReadOnlyDictionary<string, string> Env,
    DetectionEvidence Evidence,
    IReadOnlyList<DetectionCandidate> Candidates);

/// <summary>
/// One file examined during the search. <see cref="Rejection"/> is null for a usable install; otherwise it says
/// why it was passed over (not executable, no version in its output, outside the constraint).
/// </summary>
public sealed record DetectionCandidate(string Path, string RealPath, string Source, string? Version, bool Satisfies, string? Rejection)
{
    public override string ToString() =>
        $"{Path}{(Version is null ? "" : " " + Version)}{(Rejection is null ? "" : $" ({Rejection})")}";

    public JObject ToJson() => new()
    {
        ["path"] = Path,
        ["real_path"] = RealPath,
        ["source"] = Source,
        ["version"] = Version,
        ["satisfies"] = Satisfies,
        ["rejection"] = Rejection,
    };
}

/// <summary>What a cache entry records so a detection can be audited or re-validated: the exact command, its output, the rule applied.</summary>
public sealed record DetectionEvidence(
    string Command,
    IReadOnlyList<string> Arguments,
    string Output,
    string Regex,
    string ChosenPath,
    string Version,
    string Reason)
{
    public JObject ToJson() => new()
    {
        ["command"] = Command,
        ["arguments"] = new JArray(Arguments),
        ["output"] = Output,
        ["regex"] = Regex,
        ["chosen_path"] = ChosenPath,
        ["version"] = Version,
        ["reason"] = Reason,
    };

    public static DetectionEvidence FromJson(JObject json)
    {
        string Text(string key) => json[key]?.Type == JTokenType.String
            ? (string)json[key]!
            : throw new FormatException($"detection evidence has no string '{key}'.");
        var arguments = json["arguments"] as JArray ?? throw new FormatException("detection evidence has no 'arguments' array.");
        return new DetectionEvidence(
            Text("command"), arguments.Select(a => (string?)a ?? "").ToList(), Text("output"), Text("regex"),
            Text("chosen_path"), Text("version"), Text("reason"));
    }
}
