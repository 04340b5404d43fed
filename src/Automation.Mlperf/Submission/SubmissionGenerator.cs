using System.Reflection;
using System.Text;
using Automation.Core.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission;

/// <summary>What to generate: from which results folder, into which tree, for whom.</summary>
public sealed record GenerationOptions
{
    public required string ResultsDir { get; init; }
    public required string SubmissionDir { get; init; }
    public required string Division { get; init; }
    public required string Submitter { get; init; }
    public string SystemType { get; init; } = "edge";
    public string Status { get; init; } = "available";
    /// <summary>Fields that replace detected ones in every systems/*.json.</summary>
    public JObject? SystemOverrides { get; init; }
    /// <summary>The generator's own detected env, used when a run recorded no system_env.</summary>
    public IReadOnlyDictionary<string, string> FallbackEnv { get; init; } = new Dictionary<string, string>();
    /// <summary>Replace an existing &lt;division&gt;/&lt;submitter&gt; folder instead of refusing.</summary>
    public bool Clean { get; init; }
    /// <summary>Package INVALID performance runs with a warning (open-division experiments); refused otherwise.</summary>
    public bool AllowInvalid { get; init; }
    /// <summary>Where warnings go (an INVALID run packaged with AllowInvalid, placeholders in systems/*.json).</summary>
    public Action<string> Warn { get; init; } = _ => { };
    /// <summary>Script name for error messages.</summary>
    public string? Script { get; init; }
}

/// <summary>The tree that was written.</summary>
public sealed record GenerationResult(string SubmitterDir, IReadOnlyList<string> ScenarioDirs, IReadOnlyDictionary<string, string> ModelMapping)
{
    /// <summary>SUB/summary.csv, the results table MLPerf publishes, over every division and submitter of the tree.</summary>
    public string? SummaryCsv { get; init; }
}

/// <summary>
/// Lays a results folder out as an MLPerf v6.1 submission: <c>&lt;division&gt;/&lt;submitter&gt;/{src,systems,results}</c>
/// (+ model_mapping.json in open), copying LoadGen's logs, hashing and truncating the accuracy log, and writing
/// measurements.json, user.conf and a README per scenario. It checks the folder's completeness, not the rules:
/// that is <see cref="SubmissionChecker"/>'s job.
/// </summary>
public static class SubmissionGenerator
{
    public static GenerationResult Generate(GenerationOptions options)
    {
        Validate(options);
        var results = ResultsFolder.Read(options.ResultsDir, options.Script);
        RefuseInvalid(results, options);
        var mapping = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var benchmarks = results.ToDictionary(r => r, r => BenchmarkName(r, options, mapping));
        if (results.GroupBy(r => (r.System, Benchmark: benchmarks[r], r.Scenario)).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new AutomationException(
                $"models {string.Join(" and ", clash.Select(r => r.Model))} of system {clash.Key.System} both become {clash.Key.Benchmark}/{clash.Key.Scenario} in the {options.Division} division",
                options.ResultsDir, options.Script, "Submit one model per benchmark and scenario in closed division; move the other to a separate results folder.");

        var submitterDir = SubmissionLayout.SubmitterDir(options.SubmissionDir, options.Division, options.Submitter);
        PrepareTarget(submitterDir, options);
        var written = new List<string>();
        foreach (var system in results.GroupBy(r => r.System))
            WriteSystem(submitterDir, system.Key, system.First(), options);
        foreach (var benchmark in results.GroupBy(r => benchmarks[r]))
            WriteSourceReadme(submitterDir, benchmark.Key, benchmark.ToList());
        foreach (var result in results)
        {
            written.Add(WriteScenario(submitterDir, benchmarks[result], result));
            WriteCompliance(result, written[^1], options);
        }
        if (mapping.Count > 0)
            File.WriteAllText(Path.Combine(submitterDir, SubmissionLayout.ModelMapping), new JObject(mapping.Select(kv => new JProperty(kv.Key, kv.Value))).ToString(Formatting.Indented) + "\n");
        return new GenerationResult(submitterDir, written, mapping) { SummaryCsv = WriteSummaryCsv(options.SubmissionDir) };
    }

    /// <summary>
    /// The official checker never fails a tree on result_validity, so this is the only guard against submitting an
    /// INVALID performance run: refused, or packaged with a warning when the user says it is an experiment.
    /// </summary>
    private static void RefuseInvalid(IReadOnlyList<ScenarioResult> results, GenerationOptions options)
    {
        var invalid = results.Select(r => r.Result).Where(r => r.Valid == false).ToList();
        if (invalid.Count == 0) return;
        var lines = invalid.Select(r => $"{r.PerformanceSummary} is INVALID ({r.InvalidReason})").ToList();
        if (!options.AllowInvalid)
            throw new AutomationException($"refusing to package {invalid.Count} INVALID performance run(s): {string.Join("; ", lines)}",
                invalid[0].PerformanceSummary, options.Script,
                "Re-run them (app-mlperf-inference re-runs an INVALID run with an adjusted target up to --max_reruns times), or pass --allow-invalid to package them anyway for an open-division experiment.");
        foreach (var line in lines) options.Warn($"packaging an INVALID run because of --allow-invalid: {line}");
    }

    /// <summary>SUB/summary.csv (the checker reads only folders at the tree's root, so the file does not disturb it).</summary>
    private static string WriteSummaryCsv(string submissionDir)
    {
        var results = Automation.Results.ResultsReader.Read([submissionDir], MlperfRules.AccuracyTargets);
        JObject? System(Automation.Results.MlperfResult r)
        {
            var file = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(r.Folder)!)!)!)!, "systems", r.System + ".json");
            try { return File.Exists(file) ? JObject.Parse(File.ReadAllText(file)) : null; }
            catch (JsonException) { return null; }
        }
        var path = Path.Combine(submissionDir, "summary.csv");
        File.WriteAllText(path, Automation.Results.ResultsTable.Csv(results, System, MlperfRules.Version,
            r => Path.GetRelativePath(submissionDir, Path.Combine(r.Folder, "performance")).Replace('\\', '/')));
        return path;
    }

    private static void Validate(GenerationOptions options)
    {
        if (options.Division is not ("open" or "closed"))
            throw new AutomationException($"division '{options.Division}' is not one this generator writes", null, options.Script, "Pass --division=open or --division=closed.");
        if (options.Submitter.Length == 0 || options.Submitter.IndexOfAny(['/', '\\']) >= 0 || options.Submitter is "." or "..")
            throw new AutomationException($"submitter '{options.Submitter}' is not a valid folder name", null, options.Script, "Pass --submitter=ORG, your organisation's name without slashes.");
        if (!MlperfRules.SystemTypes.Contains(options.SystemType))
            throw new AutomationException($"system type '{options.SystemType}' is not one MLPerf knows", null, options.Script, $"Pass --system_type= one of {string.Join(", ", MlperfRules.SystemTypes)}.");
        if (!MlperfRules.Statuses.Contains(options.Status))
            throw new AutomationException($"status '{options.Status}' is not one MLPerf knows", null, options.Script, $"Pass --status= one of {string.Join(", ", MlperfRules.Statuses)}.");
    }

    /// <summary>
    /// Open division keeps the model's own name and maps it to the benchmark it stands for in model_mapping.json;
    /// closed division must use the official benchmark name.
    /// </summary>
    private static string BenchmarkName(ScenarioResult result, GenerationOptions options, IDictionary<string, string> mapping)
    {
        var model = result.Model;
        var declared = result.Performance.MlperfModel;
        var selfMapping = declared is null ? null : new Dictionary<string, string> { [model] = declared };
        var rules = MlperfRules.Resolve(model, selfMapping);
        if (rules is null)
            throw new AutomationException(
                $"model '{model}' ({result.Dir}) is not an MLPerf {MlperfRules.Version} benchmark this project knows and its {SubmissionLayout.RunInfo} maps it to '{declared ?? "nothing"}'",
                Path.Combine(result.PerformanceDir, SubmissionLayout.RunInfo), options.Script,
                $"Set \"mlperf_model\" in cm-run-info.json to one of {string.Join(", ", MlperfRules.KnownBenchmarks)}.");
        if (options.Division == "closed") return rules.Name;
        if (MlperfRules.Resolve(model) is null) mapping[model] = rules.Name;
        return model;
    }

    private static void PrepareTarget(string submitterDir, GenerationOptions options)
    {
        if (Directory.Exists(submitterDir) && Directory.EnumerateFileSystemEntries(submitterDir).Any())
        {
            if (!options.Clean)
                throw new AutomationException($"{submitterDir} already holds a submission", submitterDir, options.Script,
                    "Pass --clean to replace it, or choose another --submission_dir.");
            Directory.Delete(submitterDir, recursive: true);
        }
        Directory.CreateDirectory(SubmissionLayout.SystemsDir(submitterDir));
        Directory.CreateDirectory(SubmissionLayout.ResultsDir(submitterDir));
    }

    private static void WriteSystem(string submitterDir, string system, ScenarioResult sample, GenerationOptions options)
    {
        var env = sample.Performance.SystemEnv.Count > 0 ? sample.Performance.SystemEnv : options.FallbackEnv;
        var description = SystemDescription.Build(env, options.Division, options.Submitter, system, options.SystemType,
            options.Status, FrameworkName(sample.Performance), sample.Dir, options.SystemOverrides);
        File.WriteAllText(SubmissionLayout.SystemJson(submitterDir, system), description.ToString(Formatting.Indented) + "\n");
        if (SystemDescription.Placeholders(description) is { Count: > 0 } missing)
            options.Warn($"systems/{system}.json: {missing.Count} field(s) could not be detected and say \"{SystemDescription.ToFill}\": {string.Join(", ", missing)}. " +
                "Give them in a JSON file with --sut_description=FILE before you submit.");
    }

    /// <summary>"ONNX Runtime 1.31.1": the run's framework and version, else the ONNX Runtime this build links.</summary>
    public static string FrameworkName(RunInfo run)
    {
        var isOnnx = run.Framework.Replace(" ", "").Equals("onnxruntime", StringComparison.OrdinalIgnoreCase);
        var name = isOnnx ? "ONNX Runtime" : run.Framework;
        var version = run.FrameworkVersion ?? (isOnnx ? LinkedOnnxRuntimeVersion() : null);
        return version is null ? name : $"{name} {version}";
    }

    private static string? LinkedOnnxRuntimeVersion()
    {
        var assembly = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3);
    }

    private static string WriteScenario(string submitterDir, string benchmark, ScenarioResult result)
    {
        var target = SubmissionLayout.ScenarioDir(submitterDir, result.System, benchmark, result.Scenario);
        var perf = SubmissionLayout.PerformanceDir(target);
        var acc = SubmissionLayout.AccuracyDir(target);
        Directory.CreateDirectory(perf);
        Directory.CreateDirectory(acc);
        foreach (var file in SubmissionLayout.PerformanceFiles)
            File.Copy(Path.Combine(result.PerformanceDir, file), Path.Combine(perf, file));
        foreach (var file in new[] { SubmissionLayout.Summary, SubmissionLayout.Detail })
            File.Copy(Path.Combine(result.AccuracyDir, file), Path.Combine(acc, file));
        AccuracyLogTruncation.CopyTruncated(
            Path.Combine(result.AccuracyDir, SubmissionLayout.AccuracyLog), Path.Combine(result.AccuracyDir, SubmissionLayout.AccuracyTxt), acc);

        File.Copy(Path.Combine(result.PerformanceDir, SubmissionLayout.UserConf), Path.Combine(target, SubmissionLayout.UserConf));
        var measurements = result.Performance.Measurements ?? new ModelMeasurements("fp32", "no", result.Model, "fp32", "none");
        var json = measurements.ToJson();
        if (json.Properties().FirstOrDefault(p => string.IsNullOrWhiteSpace((string?)p.Value)) is { } empty)
            throw new AutomationException($"{SubmissionLayout.RunInfo} of {result.Dir} has an empty measurements field \"{empty.Name}\"",
                Path.Combine(result.PerformanceDir, SubmissionLayout.RunInfo), null, "Fill every field of \"measurements\" (docs/submission.md).");
        File.WriteAllText(Path.Combine(target, SubmissionLayout.Measurements), json.ToString(Formatting.Indented) + "\n");
        File.WriteAllText(Path.Combine(target, SubmissionLayout.Readme), ScenarioReadme(benchmark, result));
        return target;
    }

    /// <summary>
    /// The compliance tests' verified output (docs/submission.md §7). Closed division cannot pass without the tests
    /// its benchmark needs, so their absence is said here, before the checker says it.
    /// </summary>
    private static void WriteCompliance(ScenarioResult result, string target, GenerationOptions options)
    {
        Compliance.ComplianceOutputs.CopyInto(result.Dir, target);
        if (options.Division == "open") return;
        var benchmark = MlperfRules.Resolve(result.Model, result.Performance.MlperfModel is { } m ? new Dictionary<string, string> { [result.Model] = m } : null)?.Name;
        if (benchmark is not null && Compliance.ComplianceOutputs.Missing(result.Dir, benchmark) is { Count: > 0 } missing)
            options.Warn($"{result.Dir} has no verified {string.Join(", ", missing.Select(t => t.Name))} output, which the {options.Division} division requires of {benchmark}: " +
                "run app-mlperf-inference with _compliance (same --results_dir) before you submit.");
    }

    private static string ScenarioReadme(string benchmark, ScenarioResult result)
    {
        var text = new StringBuilder()
            .AppendLine($"# {benchmark}, {result.Scenario}, on {result.System}")
            .AppendLine()
            .AppendLine($"Model `{result.Model}` run with {FrameworkName(result.Performance)} on {result.Performance.Device}, ")
            .AppendLine($"LoadGen engine `{result.Performance.LoadgenEngine}` ({Automation.LoadGen.NativeLoadGen.LoadGenVersion}).")
            .AppendLine();
        AppendCommand(text, "Performance run", result.Performance);
        AppendCommand(text, "Accuracy run", result.Accuracy);
        return text.ToString();
    }

    private static void AppendCommand(StringBuilder text, string title, RunInfo run) =>
        text.AppendLine($"## {title}").AppendLine().AppendLine("```bash")
            .AppendLine(run.Command ?? $"cm run script --tags=app,mlperf,inference --model={run.Model} --scenario={run.Scenario} --mode={run.Mode}")
            .AppendLine("```").AppendLine();

    private static void WriteSourceReadme(string submitterDir, string benchmark, IReadOnlyList<ScenarioResult> results)
    {
        var dir = Path.Combine(SubmissionLayout.SourceDir(submitterDir), benchmark);
        Directory.CreateDirectory(dir);
        var text = new StringBuilder()
            .AppendLine($"# {benchmark}")
            .AppendLine()
            .AppendLine("Implementation: Automation (a C# re-implementation of MLCommons CM), script `app-mlperf-inference`,")
            .AppendLine($"with the native C# LoadGen ({Automation.LoadGen.NativeLoadGen.LoadGenVersion}). Reproduce each result with:")
            .AppendLine();
        foreach (var result in results)
            AppendCommand(text, $"{result.System} / {result.Scenario} (performance)", result.Performance);
        foreach (var result in results)
            AppendCommand(text, $"{result.System} / {result.Scenario} (accuracy)", result.Accuracy);
        text.AppendLine("Then `cm run script --tags=generate,mlperf,inference,submission --results_dir=... --submission_dir=...`.");
        File.WriteAllText(Path.Combine(dir, SubmissionLayout.Readme), text.ToString());
    }
}
