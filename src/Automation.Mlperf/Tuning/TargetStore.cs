using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.Files;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Tuning;

/// <summary>What a stored target is for: a performance figure holds only for this system, model, scenario, backend and batch size.</summary>
public sealed record TargetKey(string System, string Model, string Scenario, string Backend, int BatchSize)
{
    public string Text => $"{System}/{Model}/{Scenario}/{Backend}/bs{BatchSize.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A target found by find-performance or corrected by a re-run: target_qps (Offline, Server) or target_latency in ms (SingleStream, MultiStream).</summary>
public sealed record StoredTarget(double? TargetQps, double? TargetLatencyMs, string Source, DateTimeOffset At)
{
    public string Describe() => TargetQps is { } q
        ? $"target_qps={Format(q)}"
        : $"target_latency={Format(TargetLatencyMs ?? 0)} ms";

    public static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// The target as LoadGen user.conf lines ("model.Scenario.target_qps = ..."), at full precision: the one place that
    /// writes them, for the run's user.conf and for the line a compliance re-size appends to its own.
    /// </summary>
    public IEnumerable<string> UserConfLines(string model, string scenario)
    {
        if (TargetQps is { } qps) yield return UserConfLine(model, scenario, "target_qps", qps.ToString(CultureInfo.InvariantCulture));
        if (TargetLatencyMs is { } ms) yield return UserConfLine(model, scenario, "target_latency", ms.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>One LoadGen user.conf line, "model.Scenario.key = value", the shape LoadGen's config reader takes.</summary>
    public static string UserConfLine(string model, string scenario, string key, string value) => $"{model}.{scenario}.{key} = {value}";
}

/// <summary>
/// The user-config file of performance targets (docs/submission.md): `$CM_MLPERF_TARGETS_FILE`, else
/// `mlperf-targets.json` in the CM home (`$CM_REPOS`, default `~/CM`). Plain JSON keyed by
/// "system/model/scenario/backend/bsN", so a submitter can read, edit or delete an entry by hand.
/// </summary>
public sealed class TargetStore(string path)
{
    public const string FileVariable = "CM_MLPERF_TARGETS_FILE";
    public const string FileName = "mlperf-targets.json";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The file for this run: the env's CM_MLPERF_TARGETS_FILE, else the process's, else the CM home.</summary>
    public static TargetStore For(IReadOnlyDictionary<string, string> env)
    {
        if (env.TryGetValue(FileVariable, out var file) && file.Length > 0) return new TargetStore(file);
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } fromProcess) return new TargetStore(fromProcess);
        var home = Environment.GetEnvironmentVariable("CM_REPOS") is { Length: > 0 } repos
            ? repos
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "CM");
        return new TargetStore(System.IO.Path.Combine(home, FileName));
    }

    public StoredTarget? Find(TargetKey key)
    {
        if (Read()[key.Text] is not JObject entry) return null;
        double? Number(string name) => entry[name]?.Type is JTokenType.Float or JTokenType.Integer ? entry.Value<double>(name) : null;
        var at = entry.Value<string>("at") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
        var found = new StoredTarget(Number("target_qps"), Number("target_latency_ms"), entry.Value<string>("source") ?? "?", at);
        // A hand-edited entry with a target that LoadGen can't use is ignored, as if absent: find-performance runs again.
        return found.TargetQps is > 0 || found.TargetLatencyMs is > 0 ? found : null;
    }

    public void Save(TargetKey key, StoredTarget target)
    {
        var all = Read();
        var entry = new JObject { ["source"] = target.Source, ["at"] = target.At.ToString("o", CultureInfo.InvariantCulture) };
        if (target.TargetQps is { } q) entry["target_qps"] = Math.Round(q, 3);
        if (target.TargetLatencyMs is { } l) entry["target_latency_ms"] = Math.Round(l, 3);
        all[key.Text] = entry;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        AtomicFile.WriteAllText(Path, all.ToString(Formatting.Indented) + "\n");
    }

    private JObject Read()
    {
        if (!File.Exists(Path)) return [];
        try
        {
            return JObject.Parse(File.ReadAllText(Path));
        }
        catch (JsonReaderException e)
        {
            throw new AutomationException($"the performance targets file {Path} is not valid JSON ({e.Message})", Path,
                fix: $"Fix or delete {Path}; find-performance writes it again.");
        }
    }
}
