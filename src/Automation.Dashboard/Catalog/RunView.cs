using System.Globalization;
using Automation.Dashboard.Results;
using Automation.Results;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Catalog;

/// <summary>A run as the pages get it: the list row (headline, labels, verdict), the run page, and the comparison of runs.</summary>
public sealed class RunView(DashboardOptions options)
{
    public JObject Summary(RunEntry e)
    {
        var accuracy = e.Accuracy(options.AccuracyTargets);
        return new JObject
        {
            ["id"] = e.Id,
            ["kind"] = Kind(e.Kind),
            ["script"] = e.Script,
            ["variations"] = new JArray(e.Variations),
            ["status"] = e.Status,
            ["verdict"] = e.Verdict,
            ["validity"] = e.Validity,
            ["invalid_reason"] = e.InvalidReason,
            ["headlines"] = new JArray(e.Headlines.Select(h => new JObject
            {
                ["scenario"] = h.Scenario, ["name"] = h.Headline.Name, ["value"] = h.Headline.Value, ["unit"] = h.Headline.Unit,
                ["display"] = h.Headline.Display, ["higher_is_better"] = h.Headline.HigherIsBetter,
            })),
            ["accuracy"] = accuracy is null ? null : new JObject
            {
                ["metric"] = accuracy.Metric, ["value"] = accuracy.Value, ["target"] = accuracy.Target, ["met"] = accuracy.Met,
            },
            ["labels"] = Dashboard.Json.Map(e.Labels),
            ["started"] = e.Started?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["duration_s"] = e.DurationS,
            ["error"] = e.Error,
            ["results_dir"] = e.ResultsDir,
            ["sweep"] = e.Sweep is { } s ? new JObject { ["id"] = s.Id, ["name"] = s.Name, ["index"] = s.Index, ["params"] = Dashboard.Json.Map(s.Params) } : null,
            // The named metrics only (throughput, latency_pNN, accuracy): the raw figures are in "figures".
            ["metrics"] = new JObject(e.Metrics.Where(kv => Automation.Results.Exploration.Metrics.Units.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new JProperty(kv.Key, kv.Value))),
            ["search"] = e.SearchText,
            ["can_delete"] = e.Kind is RunKind.Dashboard or RunKind.Cli,
            ["can_rerun"] = e.Kind is RunKind.Dashboard or RunKind.Cli or RunKind.SweepPoint && e.Script.Length > 0,
        };
    }

    /// <summary>The run page: the summary, then what the run was given, its MLPerf results, record, files; a dashboard run adds its run.json.</summary>
    public JObject Details(RunEntry e)
    {
        var o = e.Live?.Snapshot() ?? new JObject();
        foreach (var p in Summary(e).Properties()) o[p.Name] = p.Value;
        o["inputs"] = Dashboard.Json.Map(e.Inputs);
        o["env"] = Dashboard.Json.Map(e.Env);
        o["figures"] = Dashboard.Json.Map(e.Figures);
        o["mlperf"] = ResultsTable.Json(e.Results);
        foreach (var (row, result) in ((JArray)o["mlperf"]!).OfType<JObject>().Zip(e.Results)) row["folder"] = Relative(e, result.Folder);
        o["record"] = e.Record is { } r ? Record(r) : null;
        o["results"] = e.Folder is { } folder ? ResultScanner.Scan(folder) : new JObject { ["files"] = new JArray() };
        if (e.Live is { } live) o["steps_live"] = new JArray(live.Events.Where("step"));
        return o;
    }

    private static string Relative(RunEntry e, string path) =>
        e.Folder is { } root && Security.SafePaths.IsInside(root, path) ? Security.SafePaths.Relative(root, path) : path;

    /// <summary>What the run page shows of a record: the command as typed, versions of every script of the plan, the machine.</summary>
    private static JObject Record(JObject r)
    {
        var host = r.SelectToken("machine.host_env") as JObject;
        return new JObject
        {
            ["id"] = r["id"],
            ["argv"] = r.SelectToken("command.argv")?.DeepClone(),
            ["cwd"] = r.SelectToken("command.cwd"),
            ["results_dir"] = r["results_dir"],
            ["status"] = r["status"],
            ["versions"] = Versions(r),
            ["machine"] = new JObject
            {
                ["cpu"] = host?["CM_HOST_CPU_MODEL_NAME"], ["os"] = host?["CM_HOST_OS_NAME"] ?? r.SelectToken("machine.os_description"),
                ["processors"] = r.SelectToken("machine.processor_count"),
            },
        };
    }

    private static JObject Versions(JObject record)
    {
        var o = new JObject();
        foreach (var node in ((record["plan"] as JObject)?["nodes"] as JArray ?? []).OfType<JObject>())
            if ((string?)node["version"] is { Length: > 0 } v && (string?)node["script"] is { } s) o[s] = v;
        return o;
    }

    /// <summary>
    /// Runs side by side: one row per setting, label, input, env override, version, result and figure, each with one
    /// value per run and whether they differ; plus the legacy "settings"/"figures" maps.
    /// </summary>
    public JObject Compare(IReadOnlyList<RunEntry> chosen)
    {
        var rows = new JArray();
        void Section(string section, IEnumerable<string> keys, Func<RunEntry, string, string?> value)
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
            {
                var values = chosen.Select(e => value(e, key)).ToList();
                if (values.All(v => v is null)) continue;
                rows.Add(new JObject
                {
                    ["section"] = section, ["key"] = key, ["values"] = new JArray(values),
                    ["differs"] = values.Distinct(StringComparer.Ordinal).Count() > 1,
                });
            }
        }
        var summaries = chosen.Select(Summary).ToList();
        Section("run", ["kind", "script", "variations", "status", "result", "started", "duration_s"], (e, k) => k switch
        {
            "kind" => Kind(e.Kind), "script" => e.Script, "variations" => string.Join(",", e.Variations.Select(v => "_" + v)), "status" => e.Status,
            "result" => e.Validity, "started" => e.Started?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "duration_s" => e.DurationS?.ToString("0.###", CultureInfo.InvariantCulture),
            _ => null,
        });
        Section("result", ["headline", "accuracy", "latency p50 (ms)", "latency p90 (ms)", "latency p99 (ms)", "invalid reason"], (e, k) =>
        {
            var l = e.Results.FirstOrDefault(r => r.Latencies is not null)?.Latencies;
            string? Ms(double p) => l?.At(p) is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : null;
            return k switch
            {
                "headline" => e.Headlines.Count == 0 ? null : string.Join("; ", e.Headlines.Select(h => $"{h.Scenario} {h.Headline.Display}")),
                "accuracy" => e.Accuracy(options.AccuracyTargets) is { } a ? a.Value.ToString("0.###", CultureInfo.InvariantCulture) : null,
                "latency p50 (ms)" => Ms(50), "latency p90 (ms)" => Ms(90), "latency p99 (ms)" => Ms(99),
                "invalid reason" => e.InvalidReason,
                _ => null,
            };
        });
        Section("label", RunLabels.Names, (e, k) => e.Labels.GetValueOrDefault(k));
        Section("input", chosen.SelectMany(e => e.Inputs.Keys).Order(StringComparer.Ordinal), (e, k) => e.Inputs.GetValueOrDefault(k));
        Section("env", chosen.SelectMany(e => e.Env.Keys).Order(StringComparer.Ordinal), (e, k) => e.Env.GetValueOrDefault(k));
        var versions = chosen.Select(e => e.Record is { } r ? Versions(r) : new JObject()).ToList();
        Section("version", versions.SelectMany(v => v.Properties().Select(p => p.Name)).Order(StringComparer.Ordinal), (e, k) => (string?)versions[chosen.ToList().IndexOf(e)][k]);
        Section("figure", chosen.SelectMany(e => e.Figures.Keys).Order(StringComparer.Ordinal), (e, k) => e.Figures.GetValueOrDefault(k));

        var figures = new JObject();
        foreach (var k in chosen.SelectMany(e => e.Figures.Keys).Distinct().Order(StringComparer.Ordinal))
            figures[k] = new JArray(chosen.Select(e => e.Figures.GetValueOrDefault(k)));
        var settings = new JObject();
        foreach (var name in new[] { "script", "variations", "inputs", "env", "status", "duration_s" })
            settings[name] = new JArray(summaries.Select((s, i) => name switch
            {
                "inputs" => Dashboard.Json.Map(chosen[i].Inputs).ToString(Newtonsoft.Json.Formatting.None),
                "env" => Dashboard.Json.Map(chosen[i].Env).ToString(Newtonsoft.Json.Formatting.None),
                _ => s[name]?.ToString(Newtonsoft.Json.Formatting.None),
            }));
        return new JObject { ["ids"] = new JArray(chosen.Select(e => e.Id)), ["runs"] = new JArray(summaries), ["rows"] = rows, ["settings"] = settings, ["figures"] = figures };
    }

    public static string Kind(RunKind kind) => kind switch
    {
        RunKind.Dashboard => "dashboard",
        RunKind.Cli => "cli",
        RunKind.SweepPoint => "sweep",
        _ => "folder",
    };
}
