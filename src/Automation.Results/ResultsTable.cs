using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Automation.Results;

/// <summary>
/// The results table of `cm report` and of the end of every MLPerf run: model, scenario, mode, validity, headline
/// figure, accuracy with its target, compliance verdicts; as text, JSON, or MLPerf's summary.csv.
/// </summary>
public static class ResultsTable
{
    private static readonly string[] Header = ["model", "scenario", "mode", "result", "headline", "accuracy (target)", "compliance", "system"];

    public static string Text(IReadOnlyList<MlperfResult> results)
    {
        var rows = results.Select(r => new[]
        {
            r.MlperfModel is { } m && m != r.Model ? $"{r.Model} (as {m})" : r.Model,
            r.Scenario,
            r.Mode,
            r.Valid switch { true => "VALID", false => "INVALID", null => "-" },
            r.Headline is { } h ? (h.Name == h.Unit ? h.Display : $"{h.Display} ({h.Name})") : "-",
            r.Accuracy is { } a ? $"{a.Metric} {a.Value.ToString("0.###", CultureInfo.InvariantCulture)}{(a.Target is { } t ? $" (≥ {t.ToString("0.###", CultureInfo.InvariantCulture)}{(a.Met == true ? ", met" : ", NOT met")})" : "")}" : "-",
            r.Compliance.Count == 0 ? "-" : string.Join(" ", r.Compliance.Select(c => $"{c.Test} {(c.Passed ? "PASS" : "FAIL")}")),
            r.System,
        }).ToList();
        var widths = Header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(Header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var r in rows) Line(r);
        foreach (var r in results.Where(r => r.Valid == false))
            sb.AppendLine($"INVALID {r.Model} {r.Scenario}: {r.InvalidReason}");
        return sb.ToString();
    }

    public static JArray Json(IReadOnlyList<MlperfResult> results) => new(results.Select(r => new JObject
    {
        ["system"] = r.System,
        ["model"] = r.Model,
        ["mlperf_model"] = r.MlperfModel,
        ["scenario"] = r.Scenario,
        ["mode"] = r.Mode,
        ["division"] = r.Division,
        ["result_validity"] = r.Valid switch { true => "VALID", false => "INVALID", null => null },
        ["invalid_reason"] = r.InvalidReason,
        ["headline"] = r.Headline is { } h ? new JObject { ["name"] = h.Name, ["value"] = h.Value, ["unit"] = h.Unit, ["higher_is_better"] = h.HigherIsBetter } : null,
        ["accuracy"] = r.Accuracy is { } a ? new JObject { ["metric"] = a.Metric, ["value"] = a.Value, ["target"] = a.Target, ["met"] = a.Met } : null,
        ["compliance"] = new JObject(r.Compliance.Select(c => new JProperty(c.Test, c.Passed ? "PASS" : "FAIL"))),
        ["latency_ms"] = r.Latencies is { } l ? new JObject
        {
            ["percentiles"] = new JObject(l.Percentiles.Select(p => new JProperty("p" + p.Percent.ToString("0.#", CultureInfo.InvariantCulture), p.Ms))),
            ["mean"] = l.MeanMs, ["min"] = l.MinMs, ["max"] = l.MaxMs,
        } : null,
        ["settings"] = new JObject(r.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new JProperty(kv.Key, kv.Value))),
        ["folder"] = r.Folder,
    }));

    /// <summary>The columns of the summary.csv MLPerf publishes (the v6.1 checker's results export).</summary>
    public static readonly string[] CsvColumns =
    [
        "Organization", "Availability", "Division", "SystemType", "SystemName", "Platform", "Model", "MlperfModel", "Scenario",
        "Result", "Accuracy", "number_of_nodes", "host_processor_model_name", "host_processors_per_node", "host_processor_core_count",
        "accelerator_model_name", "accelerators_per_node", "total_accelerators", "Location", "framework", "operating_system", "notes",
        "compliance", "errors", "version", "inferred", "has_power", "Units", "weight_data_types", "design_power_watts", "PrivateID",
    ];

    /// <summary>summary.csv; <paramref name="systemDescription"/> gives each system's systems/&lt;system&gt;.json when there is one.</summary>
    public static string Csv(IReadOnlyList<MlperfResult> results, Func<MlperfResult, JObject?> systemDescription, string version, Func<MlperfResult, string> location)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", CsvColumns));
        foreach (var r in results.Where(r => r.Headline is not null))
        {
            var sys = systemDescription(r) ?? [];
            string S(string key) => sys[key]?.ToString() ?? "";
            var nodes = int.TryParse(S("number_of_nodes"), out var n) ? n : 1;
            var accelerators = int.TryParse(S("accelerators_per_node"), out var a) ? a : 0;
            var row = new Dictionary<string, string>
            {
                ["Organization"] = r.Submitter ?? S("submitter"),
                ["Availability"] = S("status"),
                ["Division"] = r.Division ?? S("division"),
                ["SystemType"] = S("system_type"),
                ["SystemName"] = S("system_name") is { Length: > 0 } name ? name : r.System,
                ["Platform"] = r.System,
                ["Model"] = r.Model,
                ["MlperfModel"] = r.MlperfModel ?? r.Model,
                ["Scenario"] = r.Scenario,
                ["Result"] = r.Headline!.Value.ToString("R", CultureInfo.InvariantCulture),
                ["Accuracy"] = r.Accuracy is { } acc ? $"{acc.Metric.ToUpperInvariant()}: {acc.Value.ToString("0.###", CultureInfo.InvariantCulture)}" : "",
                ["number_of_nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
                ["host_processor_model_name"] = S("host_processor_model_name"),
                ["host_processors_per_node"] = S("host_processors_per_node"),
                ["host_processor_core_count"] = S("host_processor_core_count"),
                ["accelerator_model_name"] = S("accelerator_model_name"),
                ["accelerators_per_node"] = accelerators.ToString(CultureInfo.InvariantCulture),
                ["total_accelerators"] = (nodes * accelerators).ToString(CultureInfo.InvariantCulture),
                ["Location"] = location(r),
                ["framework"] = S("framework"),
                ["operating_system"] = S("operating_system"),
                ["notes"] = string.Join(". ", new[] { S("hw_notes"), S("sw_notes") }.Where(x => x.Length > 0)),
                ["compliance"] = r.Compliance.Count == 0 ? "" : string.Join(" ", r.Compliance.Select(c => $"{c.Test}:{(c.Passed ? "PASS" : "FAIL")}")),
                ["errors"] = r.Valid == true ? "0" : "1",
                ["version"] = version,
                ["inferred"] = "0",
                ["has_power"] = "False",
                ["Units"] = r.Headline.CsvUnit,
                ["weight_data_types"] = "",
                ["design_power_watts"] = "",
                ["PrivateID"] = "",
            };
            sb.AppendLine(string.Join(",", CsvColumns.Select(c => Quote(row.GetValueOrDefault(c, "")))));
        }
        return sb.ToString();
    }

    private static string Quote(string v) => v.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
