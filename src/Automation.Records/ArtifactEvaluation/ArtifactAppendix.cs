using Fluid;
using Automation.Records.Records;
using Automation.Records.Reports;
using Newtonsoft.Json.Linq;

namespace Automation.Records.ArtifactEvaluation;

/// <summary>
/// The Artifact Appendix (cTuning/ACM checklist) in markdown, from run records and the claims file: hardware,
/// software with versions, datasets and models (URL, licence, sha256), time and disk estimates, one command per claim.
/// </summary>
public static class ArtifactAppendix
{
    public static string Build(ClaimsFile? claims, IReadOnlyList<JObject> records)
    {
        var ok = records.Where(r => (string?)r["status"] == "ok").ToList();
        var host = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in ok) foreach (var (k, v) in Json.ToMap(r["machine"]?["host_env"])) host[k] = v;
        var machine = ok.Select(r => r["machine"]).OfType<JObject>().LastOrDefault();
        var software = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in ok.SelectMany(r => ((r["plan"] as JObject)?["nodes"] as JArray ?? []).OfType<JObject>()))
            if (node["version"] is { Type: JTokenType.String } v) software[(string)node["script"]!] = (string)v!;
        foreach (var tool in ok.SelectMany(r => (r["tools"] as JArray ?? []).OfType<JObject>()))
            if (tool["version"] is { Type: JTokenType.String } v) software[(string)tool["script"]!] = $"{v}{(tool["path"] is { Type: JTokenType.String } p ? $" ({p})" : "")}";

        // Preparation: fresh builds of cached steps (downloads, training); experiments: the rest of each run.
        var prepare = ok.Sum(r => Steps(r).Where(s => (bool?)s["cached"] == true && (bool?)s["from_cache"] != true).Sum(s => (double?)s["seconds"] ?? 0));
        var total = ok.Sum(r => (double?)r["seconds"] ?? 0);
        var disk = ok.Sum(r => Steps(r).Sum(s => (long?)s["disk_bytes"] ?? 0) + (r["outputs"] as JArray ?? []).Sum(o => (long?)o["bytes"] ?? 0));
        var model = new JObject
        {
            ["artifact"] = claims?.Artifact ?? "cm benchmark artifact",
            ["record_count"] = ok.Count,
            ["cpu"] = host.GetValueOrDefault("CM_HOST_CPU_MODEL_NAME") ?? "",
            ["cores"] = host.GetValueOrDefault("CM_HOST_CPU_TOTAL_PHYSICAL_CORES") ?? machine?["processor_count"]?.ToString() ?? "",
            ["memory"] = host.GetValueOrDefault("CM_HOST_MEMORY_CAPACITY") ?? "",
            ["os"] = host.GetValueOrDefault("CM_HOST_OS_NAME") ?? (string?)machine?["os_description"] ?? "",
            ["arch"] = host.GetValueOrDefault("CM_HOST_CPU_ARCHITECTURE") ?? (string?)machine?["architecture"] ?? "",
            ["dotnet"] = (string?)machine?["dotnet"] ?? "",
            ["gpu"] = string.Join(", ", host.Where(kv => kv.Key.StartsWith("CM_CUDA_", StringComparison.Ordinal) || kv.Key.StartsWith("CM_GPU_", StringComparison.Ordinal)).Select(kv => $"{kv.Key}={kv.Value}")),
            ["software"] = new JArray(software.Select(kv => $"{kv.Key} {kv.Value}")),
            ["datasets"] = Fair(ok, "datasets"),
            ["models"] = Fair(ok, "models"),
            ["prepare_time"] = PlanEstimates.Seconds(prepare),
            ["experiment_time"] = PlanEstimates.Seconds(Math.Max(0, total - prepare)),
            ["disk"] = PlanEstimates.Bytes(disk),
            ["claims"] = new JArray((claims?.Claims ?? []).Select(c => new JObject
            {
                ["id"] = c.Id, ["description"] = c.Description, ["command"] = c.Command, ["expect"] = $"{c.Expect.Env ?? "/" + c.Expect.Regex + "/"} {c.Expect.Describe()}",
                ["smoke"] = string.Join(' ', c.SmokeArgs),
            })),
            ["claims_file"] = claims is null ? "" : Path.GetFileName(claims.Path),
            ["commands"] = new JArray(ok.Select(r => "cm " + string.Join(' ', (r["command"]?["argv"] as JArray ?? []).Select(a => a.ToString()))).Distinct()),
        };
        return ReportRenderer.Render("ae-appendix.md", model, NullEncoder.Default);
    }

    private static IEnumerable<JObject> Steps(JObject record) => (record["steps"] as JArray ?? []).OfType<JObject>();

    private static JArray Fair(IEnumerable<JObject> records, string kind)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new JArray();
        foreach (var e in records.SelectMany(r => (r[kind] as JArray ?? []).OfType<JObject>()))
        {
            var name = (string?)e["name"] ?? (string?)e["script"] ?? "?";
            if (!seen.Add(name)) continue;
            var hashes = (e["files"] as JArray ?? []).OfType<JObject>()
                .SelectMany(f => f["parts"] is JArray p ? p.OfType<JObject>() : [f]).Where(f => f["sha256"] is not null)
                .Select(f => $"{f["path"]} sha256 {f["sha256"]}");
            list.Add(new JObject
            {
                ["name"] = name, ["url"] = (string?)e["url"] ?? "(made by the workflow)", ["license"] = (string?)e["license_name"] ?? (string?)e["license"] ?? "unknown",
                ["description"] = (string?)e["description"] ?? "", ["files"] = new JArray(hashes),
            });
        }
        return list;
    }
}
