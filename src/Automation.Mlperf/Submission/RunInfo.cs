using Automation.Core.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission;

/// <summary>The five facts measurements.json must state about the model that was run.</summary>
public sealed record ModelMeasurements(
    string InputDataTypes,
    string Retraining,
    string StartingWeightsFilename,
    string WeightDataTypes,
    string WeightTransformations)
{
    public JObject ToJson() => new()
    {
        ["input_data_types"] = InputDataTypes,
        ["retraining"] = Retraining,
        ["starting_weights_filename"] = StartingWeightsFilename,
        ["weight_data_types"] = WeightDataTypes,
        ["weight_transformations"] = WeightTransformations,
    };
}

/// <summary>
/// cm-run-info.json: what app-mlperf-inference writes next to LoadGen's logs in every run folder of the results
/// folder (performance/run_1 and accuracy), so the generator knows what ran, how, and on which system.
/// See docs/submission.md for the exact fields.
/// </summary>
public sealed record RunInfo
{
    public required string Model { get; init; }
    /// <summary>The official benchmark the model stands for (open division's model_mapping.json); null if it is one.</summary>
    public string? MlperfModel { get; init; }
    public required string Framework { get; init; }
    public string? FrameworkVersion { get; init; }
    public string Device { get; init; } = "cpu";
    public required string Scenario { get; init; }
    /// <summary>"performance" or "accuracy".</summary>
    public required string Mode { get; init; }
    public string LoadgenEngine { get; init; } = "native";
    public ulong QslRngSeed { get; init; }
    public ulong SampleIndexRngSeed { get; init; }
    public ulong ScheduleRngSeed { get; init; }
    public string? Dataset { get; init; }
    public long? DatasetSize { get; init; }
    public ModelMeasurements? Measurements { get; init; }
    /// <summary>The command line that reproduces this run.</summary>
    public string? Command { get; init; }
    /// <summary>The detected system (CM_HOST_OS_*, CM_HOST_CPU_*, CM_HOST_MEMORY_*) at run time.</summary>
    public IReadOnlyDictionary<string, string> SystemEnv { get; init; } = new Dictionary<string, string>();

    public JObject ToJson()
    {
        var json = new JObject
        {
            ["model"] = Model,
            ["mlperf_model"] = MlperfModel,
            ["framework"] = Framework,
            ["framework_version"] = FrameworkVersion,
            ["device"] = Device,
            ["scenario"] = Scenario,
            ["mode"] = Mode,
            ["loadgen_engine"] = LoadgenEngine,
            ["seeds"] = new JObject
            {
                ["qsl_rng_seed"] = QslRngSeed,
                ["sample_index_rng_seed"] = SampleIndexRngSeed,
                ["schedule_rng_seed"] = ScheduleRngSeed,
            },
            ["dataset"] = Dataset,
            ["dataset_size"] = DatasetSize,
            ["measurements"] = Measurements?.ToJson(),
            ["command"] = Command,
            ["system_env"] = new JObject(SystemEnv.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new JProperty(kv.Key, kv.Value))),
        };
        foreach (var empty in json.Properties().Where(p => p.Value.Type == JTokenType.Null).ToList()) empty.Remove();
        return json;
    }

    public void Save(string path) => File.WriteAllText(path, ToJson().ToString(Formatting.Indented) + "\n");

    /// <exception cref="AutomationException">The file is missing, not JSON, or lacks a required field.</exception>
    public static RunInfo Load(string path)
    {
        if (!File.Exists(path))
            throw new AutomationException($"the results folder has no {SubmissionLayout.RunInfo} at {path}", path, null,
                "Every run folder needs the cm-run-info.json that app-mlperf-inference writes; see docs/submission.md.");
        JObject json;
        try
        {
            json = JObject.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new AutomationException($"{path} is not valid JSON: {e.Message}", path, null, "Rewrite it as docs/submission.md describes.");
        }
        var seeds = json["seeds"] as JObject ?? [];
        return new RunInfo
        {
            Model = Required(json, "model", path),
            MlperfModel = (string?)json["mlperf_model"],
            Framework = Required(json, "framework", path),
            FrameworkVersion = (string?)json["framework_version"],
            Device = (string?)json["device"] ?? "cpu",
            Scenario = Required(json, "scenario", path),
            Mode = Required(json, "mode", path),
            LoadgenEngine = (string?)json["loadgen_engine"] ?? "native",
            QslRngSeed = (ulong?)seeds["qsl_rng_seed"] ?? 0,
            SampleIndexRngSeed = (ulong?)seeds["sample_index_rng_seed"] ?? 0,
            ScheduleRngSeed = (ulong?)seeds["schedule_rng_seed"] ?? 0,
            Dataset = (string?)json["dataset"],
            DatasetSize = (long?)json["dataset_size"],
            Measurements = json["measurements"] is JObject m ? LoadMeasurements(m) : null,
            Command = (string?)json["command"],
            SystemEnv = (json["system_env"] as JObject ?? []).Properties()
                .ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal),
        };
    }

    private static ModelMeasurements LoadMeasurements(JObject m) => new(
        (string?)m["input_data_types"] ?? "",
        (string?)m["retraining"] ?? "",
        (string?)m["starting_weights_filename"] ?? "",
        (string?)m["weight_data_types"] ?? "",
        (string?)m["weight_transformations"] ?? "");

    private static string Required(JObject json, string key, string path) =>
        (string?)json[key] is { Length: > 0 } value
            ? value
            : throw new AutomationException($"{path} lacks the field \"{key}\"", path, null, "Add it as docs/submission.md describes.");
}
