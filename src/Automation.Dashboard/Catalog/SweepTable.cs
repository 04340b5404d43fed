using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Catalog;

/// <summary>One row of a sweep table: the point's index, parameters, outcome and figures (docs/experiments.md).</summary>
public sealed record SweepRow(int Index, IReadOnlyDictionary<string, string> Params, string Status, double? DurationS, DateTimeOffset? Started,
    string? PointDir, IReadOnlyDictionary<string, string> Figures, string? Error);

/// <summary>A sweep's experiment.json (schema automation.experiment.table/1) as the dashboard lists it.</summary>
public sealed record SweepTable(string Path, string Id, string Name, JObject Experiment, JObject? Summary, IReadOnlyList<SweepRow> Rows)
{
    public const string FileName = "experiment.json";

    public static SweepTable? TryRead(string path)
    {
        try
        {
            var doc = JObject.Parse(File.ReadAllText(path));
            var experiment = doc["experiment"] as JObject ?? new JObject();
            // The experiment hash names the sweep; a table without one is named by its file.
            var id = (string?)experiment["hash"] is { Length: > 0 } h && h.All(char.IsAsciiHexDigit) ? h.ToLowerInvariant()
                : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(System.IO.Path.GetFullPath(path))))[..16];
            var rows = (doc["rows"] as JArray ?? []).OfType<JObject>().Select(Row).ToList();
            return new SweepTable(path, id, (string?)experiment["tags"] ?? System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) ?? id,
                experiment, doc["summary"] as JObject, rows);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidCastException or FormatException) { return null; }
    }

    private static SweepRow Row(JObject r) => new(
        (int?)(r["point_index"] ?? r["index"]) ?? 0,
        Map(r["params"]),
        (string?)r["status"] ?? "",
        (double?)r["duration_s"],
        DateTimeOffset.TryParse((string?)r["started_utc"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null,
        (string?)r["point_dir"],
        Map(r["figures"]),
        (string?)r["error"]);

    private static Dictionary<string, string> Map(JToken? token) =>
        (token as JObject ?? []).Properties().ToDictionary(p => p.Name, p => p.Value.Type == JTokenType.Null ? "" : p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>The table reduced to what the sweep card needs (/api/sweep).</summary>
    public JObject ToJson() => new()
    {
        ["experiment"] = Experiment,
        ["summary"] = Summary,
        ["rows"] = new JArray(Rows.Select(r => new JObject
        {
            ["index"] = r.Index, ["status"] = r.Status, ["params"] = Dashboard.Json.Map(r.Params), ["figures"] = Dashboard.Json.Map(r.Figures), ["duration_s"] = r.DurationS,
            ["run"] = $"sweep-{Id}-{r.Index}",
        })),
    };
}
