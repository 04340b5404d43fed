namespace Automation.Results;

/// <summary>
/// The settings that tell MLPerf runs apart (model, scenario, mode, backend, device, LoadGen engine, batch size,
/// threads, target), from what a run left: its MLPerf result (folders, cm-run-info.json, LoadGen's parameters), the
/// env it exported (CM_MLPERF_*), and the inputs it was given (a sweep point's parameters count as inputs).
/// The user's inputs win over exports, exports over what the folders say.
/// </summary>
public static class RunLabels
{
    /// <summary>The labels in display order.</summary>
    public static readonly string[] Names = ["model", "scenario", "mode", "backend", "device", "engine", "batch_size", "threads", "target"];

    private static readonly (string Label, string Figure, string Input)[] Sources =
    [
        ("model", "CM_MLPERF_MODEL", "model"),
        ("scenario", "CM_MLPERF_LOADGEN_SCENARIO", "scenario"),
        ("mode", "CM_MLPERF_LOADGEN_MODE", "mode"),
        ("backend", "CM_MLPERF_BACKEND", "backend"),
        ("device", "CM_MLPERF_DEVICE", "device"),
        ("engine", "CM_MLPERF_LOADGEN_ENGINE", "loadgen_engine"),
        ("batch_size", "CM_MLPERF_BATCH_SIZE", "batch_size"),
        ("threads", "CM_MLPERF_THREADS", "threads"),
    ];

    public static IReadOnlyDictionary<string, string> From(MlperfResult? result, IReadOnlyDictionary<string, string> figures, IReadOnlyDictionary<string, string> inputs)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result is not null)
        {
            labels["model"] = result.Model;
            labels["scenario"] = result.Scenario;
            labels["mode"] = result.Mode;
            Copy(result.Settings, "framework", labels, "backend");
            Copy(result.Settings, "device", labels, "device");
            Copy(result.Settings, "loadgen_engine", labels, "engine");
            if (result.Settings.TryGetValue("target_qps", out var qps)) labels["target"] = qps + " QPS";
            else if (result.Settings.TryGetValue("target_latency_ms", out var ms)) labels["target"] = ms + " ms";
        }
        foreach (var (label, figure, input) in Sources)
        {
            if (figures.TryGetValue(figure, out var f) && f.Length > 0) labels[label] = f;
            if (inputs.TryGetValue(input, out var i) && i.Length > 0) labels[label] = i;
        }
        // Threads 0 means "the backend's default", not zero threads.
        if (labels.TryGetValue("threads", out var threads) && threads == "0") labels["threads"] = "default";
        // Runs export the target they used as CM_MLPERF_USED_TARGET_*; records written before that carry the input's key.
        if (Value(inputs, figures, "target_qps", "CM_MLPERF_USED_TARGET_QPS", "CM_MLPERF_LOADGEN_TARGET_QPS") is { } targetQps) labels["target"] = targetQps + " QPS";
        else if (Value(inputs, figures, "target_latency", "CM_MLPERF_USED_TARGET_LATENCY", "CM_MLPERF_LOADGEN_TARGET_LATENCY") is { } targetMs) labels["target"] = targetMs + " ms";
        return Names.Where(labels.ContainsKey).ToDictionary(n => n, n => labels[n], StringComparer.Ordinal);
    }

    private static void Copy(IReadOnlyDictionary<string, string> from, string key, Dictionary<string, string> to, string label)
    {
        if (from.TryGetValue(key, out var v) && v.Length > 0) to[label] = v;
    }

    private static string? Value(IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> figures, string input, params string[] figureKeys) =>
        inputs.TryGetValue(input, out var i) && i.Length > 0 ? i
            : figureKeys.Select(k => figures.TryGetValue(k, out var f) && f.Length > 0 ? f : null).FirstOrDefault(f => f is not null);
}
