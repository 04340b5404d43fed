using System.Text.RegularExpressions;

namespace Automation.Mlperf.Submission;

/// <summary>
/// What MLPerf Inference v6.1 demands of one benchmark, as the official submission checker (mlcommons/inference
/// b66003e, tools/submission/submission_checker/constants.py) states it. Only the benchmarks this project can map
/// to are listed; an unknown benchmark is reported, never guessed.
/// </summary>
/// <param name="AccuracyMetric">The checker's name for the metric (acc, F1, DICE, mAP, ACCURACY).</param>
/// <param name="AccuracyLine">How accuracy.txt states the metric; group 1 is the value.</param>
/// <param name="AccuracyTarget">Closed division's minimum (99% or 99.9% of the reference).</param>
/// <param name="RequiredScenarios">Required scenarios by system type; a type that is missing does not run this benchmark.</param>
/// <param name="MinQueries">Minimum min_query_count for scenarios without early stopping (0 = no rule).</param>
/// <param name="OfflineMinSamplesPerQuery">Closed Offline's minimum samples per query.</param>
/// <param name="ServerLatencyNs">Server's latency bound; null when the benchmark has no Server rule.</param>
public sealed record BenchmarkRules(
    string Name,
    string AccuracyMetric,
    Regex AccuracyLine,
    double AccuracyTarget,
    long PerformanceSampleCount,
    long DatasetSize,
    IReadOnlyDictionary<string, string[]> RequiredScenarios,
    IReadOnlyDictionary<string, long> MinQueries,
    long OfflineMinSamplesPerQuery,
    long? ServerLatencyNs);

/// <summary>The v6.1 round's fixed values and the benchmarks this project knows.</summary>
public static class MlperfRules
{
    public const string Version = "v6.1";
    public const ulong QslRngSeed = 2085463073848966840;
    public const ulong SampleIndexRngSeed = 2747215439041700203;
    public const ulong ScheduleRngSeed = 16159082839903944936;
    /// <summary>Every performance run must ask for at least 600 s, in every division.</summary>
    public const long MinDurationMs = 600_000;
    /// <summary>The submitted mlperf_log_accuracy.json must be truncated to at most this size.</summary>
    public const long MaxAccuracyLogBytes = 10 * 1024;

    public static readonly string[] Divisions = ["closed", "open", "network"];
    public static readonly string[] Scenarios = ["SingleStream", "MultiStream", "Server", "Offline"];
    public static readonly string[] SystemTypes = ["datacenter", "edge", "datacenter,edge", "edge,datacenter"];
    public static readonly string[] Statuses = ["available", "preview", "rdi"];
    /// <summary>Scenarios whose validity rests on early stopping; the others need min_query_count.</summary>
    public static readonly string[] EarlyStoppingScenarios = ["SingleStream", "MultiStream", "Server"];

    private static readonly Regex Acc = new(@"^\{?""?accuracy""?[\s:=]*([0-9.]+)", RegexOptions.CultureInvariant);
    private static readonly Regex F1 = new(@"^\{[""']exact_match[""']:\s*[0-9.]+,\s*[""']f1[""']:\s*([0-9.]+)\}", RegexOptions.CultureInvariant);
    private static readonly Regex Dice = new(@"Accuracy:\s*mean\s*=\s*([0-9.]+)", RegexOptions.CultureInvariant);
    private static readonly Regex MeanAp = new(@"(?:mAP=|'Total':)\s*([0-9.]+)", RegexOptions.CultureInvariant);
    private static readonly Regex Wer = new(@"Word Error Rate:.*, accuracy=([0-9.]+)%", RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, long> ImageMinQueries = new()
    {
        ["SingleStream"] = 1024, ["MultiStream"] = 270336, ["Server"] = 270336, ["Offline"] = 1,
    };
    private static readonly Dictionary<string, long> StreamMinQueries = new() { ["SingleStream"] = 1024, ["Offline"] = 1 };

    private static readonly BenchmarkRules[] Known =
    [
        new("resnet", "acc", Acc, 76.46 * 0.99, 1024, 50000,
            Types(edge: ["SingleStream", "MultiStream", "Offline"], both: ["SingleStream", "MultiStream", "Offline", "Server"]),
            ImageMinQueries, 24576, 15_000_000),
        Bert("bert-99", 0.99), Bert("bert-99.9", 0.999),
        Unet("3d-unet-99", 0.99), Unet("3d-unet-99.9", 0.999),
        new("rgat", "acc", Acc, 0.7286 * 0.99, 788379, 788379, Types(datacenter: ["Offline"], both: ["Offline"]),
            StreamMinQueries, 788379, null),
        new("whisper", "ACCURACY", Wer, (100.0 - 2.0671) * 0.99, 1633, 1633,
            Types(edge: ["Offline"], datacenter: ["Offline"], both: ["Offline"]), StreamMinQueries, 1633, null),
        Yolo("yolo-95", 0.95), Yolo("yolo-99", 0.99),
    ];

    /// <summary>The checker's own aliases (its model_mapping) besides a submitter's model_mapping.json.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["resnet50"] = "resnet", ["mobilenet"] = "resnet",
    };

    public static IEnumerable<string> KnownBenchmarks => Known.Select(b => b.Name);

    /// <summary>
    /// The official benchmark a results folder counts as, in the checker's order: the official name itself, the
    /// checker's aliases, the open submitter's model_mapping.json, then the checker's name guesses
    /// (mobilenet/efficientnet/resnet50 → resnet). Null when none applies.
    /// </summary>
    public static BenchmarkRules? Resolve(string benchmark, IReadOnlyDictionary<string, string>? mapping = null)
    {
        var name = benchmark;
        if (Find(name) is null)
        {
            if (Aliases.TryGetValue(name, out var alias)) name = alias;
            else if (mapping is not null && mapping.TryGetValue(name, out var mapped)) name = mapped;
            else if (name.Contains("mobilenet") || name.Contains("efficientnet") || name.Contains("resnet50")) name = "resnet";
        }
        return Find(name);
    }

    public static BenchmarkRules? Find(string name) => Known.FirstOrDefault(b => b.Name == name);

    /// <summary>The accuracy metric and target of an official benchmark, for the results table and summary.csv.</summary>
    public static readonly Automation.Results.AccuracyTargets AccuracyTargets =
        b => Find(b) is { } rules ? (rules.AccuracyMetric, rules.AccuracyTarget) : null;

    /// <summary>Required scenarios for a system type, or null when the benchmark is not run on that type.</summary>
    public static string[]? RequiredScenarios(BenchmarkRules rules, string systemType)
    {
        var key = systemType == "edge,datacenter" ? "datacenter,edge" : systemType;
        return rules.RequiredScenarios.TryGetValue(key, out var list) ? list : null;
    }

    /// <summary>The scenario's result field in the detail log and the unit it is reported in.</summary>
    public static (string Key, string Unit, double Scale) ResultField(string scenario) => scenario switch
    {
        "Offline" => ("result_samples_per_second", "samples/s", 1),
        "SingleStream" => ("early_stopping_latency_ss", "ms", 1e-6),
        "MultiStream" => ("early_stopping_latency_ms", "ms", 1e-6),
        _ => ("result_completed_samples_per_sec", "samples/s", 1),
    };

    private static BenchmarkRules Bert(string name, double share) =>
        new(name, "F1", F1, 90.874 * share, 10833, 10833,
            Types(edge: ["SingleStream", "Offline"], both: ["SingleStream", "Offline"]), StreamMinQueries, 10833, null);

    private static BenchmarkRules Unet(string name, double share) =>
        new(name, "DICE", Dice, 0.86170 * share, 43, 43,
            Types(edge: ["SingleStream", "Offline"], datacenter: ["Offline"], both: ["SingleStream", "Offline"]), StreamMinQueries, 43, null);

    private static BenchmarkRules Yolo(string name, double share) =>
        new(name, "mAP", MeanAp, 53.4 * share, 64, 1525,
            Types(edge: ["SingleStream", "MultiStream", "Offline"], both: ["SingleStream", "MultiStream", "Offline"]),
            new Dictionary<string, long> { ["SingleStream"] = 1024, ["MultiStream"] = 270336, ["Offline"] = 1 }, 1525, null);

    private static Dictionary<string, string[]> Types(string[]? edge = null, string[]? datacenter = null, string[]? both = null)
    {
        var types = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (edge is not null) types["edge"] = edge;
        if (datacenter is not null) types["datacenter"] = datacenter;
        if (both is not null) types["datacenter,edge"] = both;
        return types;
    }
}
