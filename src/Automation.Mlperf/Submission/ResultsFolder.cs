using Automation.Core.Errors;
using Automation.LoadGen.Logging;

namespace Automation.Mlperf.Submission;

/// <summary>One scenario of the results folder: <c>RESULTS/&lt;system&gt;/&lt;model&gt;/&lt;scenario&gt;/</c> with both runs.</summary>
/// <param name="Result">The scenario as <see cref="Automation.Results.ResultsReader"/> (the one reader of the layout) reads it: validity and LoadGen's reason, headline, accuracy.</param>
public sealed record ScenarioResult(string System, string Model, string Scenario, string Dir, RunInfo Performance, RunInfo Accuracy, Automation.Results.MlperfResult Result)
{
    public string PerformanceDir => SubmissionLayout.PerformanceDir(Dir);
    public string AccuracyDir => SubmissionLayout.AccuracyDir(Dir);
}

/// <summary>
/// Reads the results folder app-mlperf-inference writes (docs/submission.md) for the generator: the runs through
/// <see cref="Automation.Results.ResultsReader"/>, plus the generator's own checks, every missing file, misplaced
/// folder or inconsistent run reported at once, so a user fixes the folder in one go.
/// </summary>
public static class ResultsFolder
{
    private static readonly string[] PerformanceRunFiles =
        [SubmissionLayout.Summary, SubmissionLayout.Detail, SubmissionLayout.UserConf, SubmissionLayout.RunInfo];
    private static readonly string[] AccuracyRunFiles =
        [SubmissionLayout.Summary, SubmissionLayout.Detail, SubmissionLayout.AccuracyLog, SubmissionLayout.AccuracyTxt, SubmissionLayout.RunInfo];

    /// <exception cref="AutomationException">The folder is missing, empty, or has incomplete or inconsistent runs.</exception>
    public static IReadOnlyList<ScenarioResult> Read(string resultsDir, string? script = null)
    {
        if (!Directory.Exists(resultsDir))
            throw new AutomationException($"the results folder {resultsDir} does not exist", resultsDir, script,
                "Pass --results_dir=DIR, the folder app-mlperf-inference wrote with --results_dir.");
        var problems = new List<string>();
        var found = new List<ScenarioResult>();
        var read = Automation.Results.ResultsReader.Read([resultsDir]).ToDictionary(r => Path.GetFullPath(r.Folder), StringComparer.Ordinal);
        foreach (var system in SubmissionLayout.Folders(resultsDir))
        foreach (var model in SubmissionLayout.Folders(Path.Combine(resultsDir, system)))
        foreach (var scenario in SubmissionLayout.Folders(Path.Combine(resultsDir, system, model)))
        {
            var dir = Path.Combine(resultsDir, system, model, scenario);
            if (!MlperfRules.Scenarios.Contains(scenario))
            {
                problems.Add($"{dir}: '{scenario}' is not a scenario (expected {string.Join(", ", MlperfRules.Scenarios)})");
                continue;
            }
            var before = problems.Count;
            if (!read.TryGetValue(Path.GetFullPath(dir), out var result))
            {
                problems.Add($"{dir} holds neither a performance run ({Path.Combine(SubmissionLayout.Performance, SubmissionLayout.RunOne, SubmissionLayout.Summary)}) nor an accuracy run");
                continue;
            }
            var perfDir = SubmissionLayout.PerformanceDir(dir);
            var accDir = SubmissionLayout.AccuracyDir(dir);
            problems.AddRange(Missing(perfDir, PerformanceRunFiles).Concat(Missing(accDir, AccuracyRunFiles)));
            if (problems.Count > before) continue;
            var perf = RunInfo.Load(Path.Combine(perfDir, SubmissionLayout.RunInfo));
            var acc = RunInfo.Load(Path.Combine(accDir, SubmissionLayout.RunInfo));
            problems.AddRange(Inconsistencies(perfDir, perf, model, scenario, "performance"));
            problems.AddRange(Inconsistencies(accDir, acc, model, scenario, "accuracy"));
            if (problems.Count == before) found.Add(new ScenarioResult(system, model, scenario, dir, perf, acc, result));
        }
        if (problems.Count > 0)
            throw new AutomationException(
                $"the results folder {resultsDir} cannot be turned into a submission: {string.Join("; ", problems)}", resultsDir, script,
                "Re-run the missing or inconsistent runs with app-mlperf-inference (layout: docs/submission.md).");
        if (found.Count == 0)
            throw new AutomationException($"the results folder {resultsDir} holds no <system>/<model>/<scenario> runs", resultsDir, script,
                "Point --results_dir at the folder app-mlperf-inference wrote (layout: docs/submission.md).");
        return found;
    }

    private static IEnumerable<string> Missing(string dir, IEnumerable<string> files) =>
        files.Where(f => !File.Exists(Path.Combine(dir, f))).Select(f => $"{Path.Combine(dir, f)} is missing");

    /// <summary>The run info must describe the folder it sits in, and its seeds must be the ones LoadGen used.</summary>
    private static List<string> Inconsistencies(string runDir, RunInfo info, string model, string scenario, string mode)
    {
        var file = Path.Combine(runDir, SubmissionLayout.RunInfo);
        var problems = new List<string>();
        if (info.Model != model) problems.Add( $"{file} says model '{info.Model}' but sits under '{model}'");
        if (info.Scenario != scenario) problems.Add($"{file} says scenario '{info.Scenario}' but sits under '{scenario}'");
        if (info.Mode != mode) problems.Add($"{file} says mode '{info.Mode}' but sits in the {mode} folder");
        DetailLogReader detail;
        try
        {
            detail = DetailLogReader.ReadFile(Path.Combine(runDir, SubmissionLayout.Detail));
        }
        catch (System.Text.Json.JsonException e)
        {
            return [.. problems, $"{Path.Combine(runDir, SubmissionLayout.Detail)} is not a LoadGen detail log: {e.Message}"];
        }
        var logged = (detail.GetUInt64("effective_qsl_rng_seed"), detail.GetUInt64("effective_sample_index_rng_seed"), detail.GetUInt64("effective_schedule_rng_seed"));
        if (logged != (info.QslRngSeed, info.SampleIndexRngSeed, info.ScheduleRngSeed))
            problems.Add($"{file} records seeds ({info.QslRngSeed}, {info.SampleIndexRngSeed}, {info.ScheduleRngSeed}) but LoadGen logged {logged}");
        if (detail.GetString("effective_scenario") is { } logScenario && logScenario != scenario)
            problems.Add($"{Path.Combine(runDir, SubmissionLayout.Detail)} is a {logScenario} run but sits under '{scenario}'");
        return problems;
    }
}
