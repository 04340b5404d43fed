using System.Globalization;
using System.Text;

namespace Automation.Mlperf.Submission.Checking;

public enum Severity { Error, Warning }

/// <summary>One problem: which rule found it, where, and what is wrong.</summary>
public sealed record Finding(Severity Severity, string Rule, string Path, string Message)
{
    public override string ToString() => $"{(Severity == Severity.Error ? "ERROR" : "WARNING")} [{Rule}] {Path}: {Message}";
}

/// <summary>A rule's verdict before the checker attaches the rule name and a default path.</summary>
public readonly record struct RuleMessage(Severity Severity, string Message, string? Path = null)
{
    public static RuleMessage Error(string message, string? path = null) => new(Severity.Error, message, path);
    public static RuleMessage Warning(string message, string? path = null) => new(Severity.Warning, message, path);
}

/// <summary>One result of the tree (a scenario folder) with its figures and findings.</summary>
public sealed record ScenarioReport(
    string RelativePath, string? MlperfModel, string Scenario, double? Metric, string? Unit, string? Accuracy, IReadOnlyList<Finding> Findings)
{
    public bool IsValid => Findings.All(f => f.Severity != Severity.Error);
}

/// <summary>The checker's verdict on a whole tree.</summary>
public sealed record CheckReport(string SubmissionDir, IReadOnlyList<ScenarioReport> Results, IReadOnlyList<Finding> TreeFindings)
{
    public IEnumerable<Finding> Errors => TreeFindings.Concat(Results.SelectMany(r => r.Findings)).Where(f => f.Severity == Severity.Error);
    public bool IsValid => Results.Count > 0 && !Errors.Any();

    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine($"MLPerf Inference {MlperfRules.Version} submission check of {SubmissionDir}");
        foreach (var finding in TreeFindings) text.AppendLine($"  {finding}");
        foreach (var result in Results)
        {
            var metric = result.Metric is { } m ? $"{m.ToString("0.###", CultureInfo.InvariantCulture)} {result.Unit}" : "no result";
            var accuracy = result.Accuracy is null ? "" : $", accuracy {result.Accuracy}";
            text.AppendLine($"[{(result.IsValid ? "PASS" : "FAIL")}] {result.RelativePath} ({result.MlperfModel ?? "unknown benchmark"}, {result.Scenario}): {metric}{accuracy}");
            foreach (var finding in result.Findings) text.AppendLine($"    {finding}");
        }
        if (Results.Count == 0) text.AppendLine("  No results found: expected <division>/<submitter>/results/<system>/<benchmark>/<scenario>/.");
        var valid = Results.Count(r => r.IsValid);
        text.AppendLine($"Summary: {Results.Count} result(s), {valid} valid, {Results.Count - valid} with errors, {Errors.Count()} error(s): "
            + (IsValid ? "submission looks OK." : "submission has errors."));
        return text.ToString();
    }
}
