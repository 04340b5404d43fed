using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>accuracy.txt states the benchmark's metric and the log's hash; closed division meets the target.</summary>
public sealed partial class AccuracyResultRule : IScenarioRule
{
    public string Name => "accuracy";

    /// <summary>The metric's value as accuracy.txt states it, or null.</summary>
    public static string? Metric(string[] lines, BenchmarkRules rules) =>
        lines.Select(l => rules.AccuracyLine.Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    public static string? Hash(string[] lines) =>
        lines.Select(l => HashLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.AccuracyTxt is not { } lines) yield break;
        var path = Path.Combine(s.AccuracyDir, SubmissionLayout.AccuracyTxt);
        if (Hash(lines) is null)
            yield return RuleMessage.Error("has no hash=<sha256 of mlperf_log_accuracy.json> line", path);
        if (s.Rules is not { } rules) yield break;
        var metric = Metric(lines, rules);
        if (metric is null || !double.TryParse(metric, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            yield return RuleMessage.Error($"states no {rules.AccuracyMetric} value in the form {rules.Name} results use (pattern {rules.AccuracyLine})", path);
        }
        else if (value < rules.AccuracyTarget)
        {
            var text = $"{rules.AccuracyMetric} {metric} is below {rules.Name}'s target {rules.AccuracyTarget.ToString("0.#####", CultureInfo.InvariantCulture)}";
            yield return s.IsClosed ? RuleMessage.Error(text, path) : RuleMessage.Warning(text + " (allowed in open division)", path);
        }
    }

    [GeneratedRegex(@"^hash=([0-9A-Za-z_]+)$")]
    private static partial Regex HashLine();
}

/// <summary>
/// mlperf_log_accuracy.json is small enough to submit (truncated) and is the file accuracy.txt's hash describes.
/// </summary>
public sealed class AccuracyLogRule : IScenarioRule
{
    public string Name => "accuracy-log";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        var log = Path.Combine(s.AccuracyDir, SubmissionLayout.AccuracyLog);
        if (!File.Exists(log) || s.AccuracyTxt is not { } lines) yield break;
        var size = new FileInfo(log).Length;
        if (size > MlperfRules.MaxAccuracyLogBytes)
            yield return RuleMessage.Error($"is {size} bytes; a submission carries it truncated to at most {MlperfRules.MaxAccuracyLogBytes} bytes", log);
        var actual = AccuracyLogTruncation.Sha256(log);
        if (AccuracyLogTruncation.IsTruncated(log))
        {
            var recorded = lines.FirstOrDefault(l => l.StartsWith(AccuracyLogTruncation.SubmittedHashPrefix, StringComparison.Ordinal))?[AccuracyLogTruncation.SubmittedHashPrefix.Length..];
            if (recorded is null)
                yield return RuleMessage.Warning("is truncated and accuracy.txt has no submitted_log_sha256 line, so it cannot be verified", log);
            else if (recorded != actual)
                yield return RuleMessage.Error($"was altered after truncation: its sha256 is {actual}, accuracy.txt records {recorded}", log);
        }
        else if (AccuracyResultRule.Hash(lines) is { } hash && hash != actual)
        {
            yield return RuleMessage.Error($"does not match accuracy.txt: its sha256 is {actual}, hash= records {hash}", log);
        }
    }
}

/// <summary>The accuracy run covered the benchmark's whole data set.</summary>
public sealed class DatasetCoverageRule : IScenarioRule
{
    public string Name => "dataset-size";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (options.SkipDatasetSizeCheck || s.AccuracyLog is not { } log || s.Rules is not { } rules) yield break;
        var count = log.Contains("effective_accuracy_sample_count") ? log.GetInt64("effective_accuracy_sample_count") : log.GetInt64("qsl_reported_total_count");
        if (count != rules.DatasetSize)
            yield return RuleMessage.Error(
                $"the accuracy run covered {count?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} samples; {rules.Name}'s data set has {rules.DatasetSize} (the official checker's dataset check; --skip_dataset_size_check relaxes it)",
                s.AccuracyDetailPath);
    }
}
