using System.Globalization;
using Automation.Core.Execution;
using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>One step's expected cost before it runs.</summary>
public sealed record StepEstimate(double Seconds, long DownloadBytes, long DiskBytes, string Source);

/// <summary>
/// `--dry-run` estimates per step: time, download and disk. A cache hit costs nothing; otherwise the meta's hints
/// (<c>estimated_seconds</c>, <c>download_bytes</c>, <c>disk_bytes</c>) are refined by the median of the step's earlier
/// fresh runs in the run-record history (<c>&lt;cache&gt;/.records/</c>).
/// </summary>
public sealed class PlanEstimates
{
    private const int HistoryRecords = 50;
    private readonly Dictionary<string, StepEstimate> byNode = new(StringComparer.Ordinal);

    /// <param name="byAction">The built-in action's own estimate (<see cref="IEstimatesDuration"/>), preferred over history and meta.</param>
    public static PlanEstimates From(Plan plan, IStepCache cache, string cacheDir, Func<PlanNode, (double Seconds, string Why)?>? byAction = null)
    {
        var history = History(cacheDir);
        var estimates = new PlanEstimates();
        var runs = WillRun(plan, cache);
        foreach (var node in plan.Nodes)
        {
            if (!runs.Contains(node.Id)) { estimates.byNode[node.Id] = new StepEstimate(0, 0, 0, "cached"); continue; }
            var raw = node.Script.Raw;
            var seconds = (double?)raw["estimated_seconds"];
            var download = (long?)raw["download_bytes"] ?? 0;
            var disk = (long?)raw["disk_bytes"] ?? 0;
            var source = seconds is null && download == 0 && disk == 0 ? "unknown" : "meta";
            if (history.TryGetValue(Identity(node.Script.Uid, node.Variations), out var past) && past.Count > 0)
            {
                seconds = Median(past.Select(r => r.Seconds));
                if (past.Any(r => r.Disk > 0)) disk = (long)Median(past.Where(r => r.Disk > 0).Select(r => (double)r.Disk));
                source = $"history of {past.Count} run{(past.Count == 1 ? "" : "s")}";
            }
            if (byAction?.Invoke(node) is { } own) (seconds, source) = (own.Seconds, own.Why);
            estimates.byNode[node.Id] = new StepEstimate(seconds ?? 0, download, node.IsCached ? disk : 0, source);
        }
        return estimates;
    }

    /// <summary>Nodes that will execute: a valid cache entry serves its node and everything below it.</summary>
    private static HashSet<string> WillRun(Plan plan, IStepCache cache)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<PlanNode>([plan.Root]);
        while (stack.TryPop(out var node))
        {
            if (runs.Contains(node.Id) || (node.IsCached && cache.TryGet(node) is not null)) continue;
            runs.Add(node.Id);
            foreach (var edge in node.Deps) stack.Push(edge.Node);
        }
        return runs;
    }

    public StepEstimate For(PlanNode node) => byNode[node.Id];

    public string Describe(PlanNode node)
    {
        var e = For(node);
        return e.Source is "cached" or "unknown" ? "" : $"; ~{Seconds(e.Seconds)}{(e.DownloadBytes > 0 ? $", download {Bytes(e.DownloadBytes)}" : "")}{(e.DiskBytes > 0 ? $", disk {Bytes(e.DiskBytes)}" : "")} [{e.Source}]";
    }

    public string Total()
    {
        var all = byNode.Values.ToList();
        return $"Estimated: ~{Seconds(all.Sum(e => e.Seconds))}, download {Bytes(all.Sum(e => e.DownloadBytes))}, disk {Bytes(all.Sum(e => e.DiskBytes))}"
               + (all.Count(e => e.Source == "unknown") is > 0 and var n ? $" ({n} step(s) have neither meta hints nor history and are not counted)" : "") + "\n";
    }

    public JObject AddTo(JObject planJson)
    {
        foreach (var node in (planJson["nodes"] as JArray ?? []).OfType<JObject>())
            if (byNode.TryGetValue((string)node["id"]!, out var e))
                node["estimate"] = new JObject { ["seconds"] = Math.Round(e.Seconds, 3), ["download_bytes"] = e.DownloadBytes, ["disk_bytes"] = e.DiskBytes, ["source"] = e.Source };
        planJson["estimate_total"] = new JObject
        {
            ["seconds"] = Math.Round(byNode.Values.Sum(e => e.Seconds), 3),
            ["download_bytes"] = byNode.Values.Sum(e => e.DownloadBytes),
            ["disk_bytes"] = byNode.Values.Sum(e => e.DiskBytes),
        };
        return planJson;
    }

    internal static string Identity(string uid, IEnumerable<string> variations) => uid + "|" + string.Join(',', variations);

    /// <summary>Fresh (not from cache) step runs of successful recorded runs, newest records first, by script uid and variations.</summary>
    private static Dictionary<string, List<(double Seconds, long Disk)>> History(string cacheDir)
    {
        var result = new Dictionary<string, List<(double, long)>>(StringComparer.Ordinal);
        var dir = Path.Combine(cacheDir, RunRecord.HistoryFolder);
        if (!Directory.Exists(dir)) return result;
        foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal).Reverse().Take(HistoryRecords))
        {
            JObject record;
            try { record = JObject.Parse(File.ReadAllText(file)); }
            catch (Exception e) when (e is IOException or Newtonsoft.Json.JsonException) { continue; }
            if ((string?)record["status"] != "ok") continue;
            foreach (var step in (record["steps"] as JArray ?? []).OfType<JObject>().Where(s => (bool?)s["from_cache"] != true))
            {
                var key = Identity((string?)step["uid"] ?? "", (step["variations"] as JArray ?? []).Select(v => (string)v!));
                if (!result.TryGetValue(key, out var list)) result[key] = list = [];
                list.Add(((double?)step["seconds"] ?? 0, (long?)step["disk_bytes"] ?? 0));
            }
        }
        return result;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Seconds(double s) =>
        s < 60 ? $"{s.ToString(s < 10 ? "0.#" : "0", CultureInfo.InvariantCulture)} s" : $"{(s / 60).ToString("0.#", CultureInfo.InvariantCulture)} min";

    public static string Bytes(long b) => b switch
    {
        < 1024 => $"{b} B",
        < 1 << 20 => $"{(b / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KiB",
        < 1L << 30 => $"{(b / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB",
        _ => $"{(b / 1073741824.0).ToString("0.##", CultureInfo.InvariantCulture)} GiB",
    };
}
