using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>
/// The submission checker's verdict from its child's -j output: PASS when it exited 0; its report (the file it names in
/// CM_MLPERF_SUBMISSION_CHECK_REPORT, or in the error's "file" when it failed) gives the summary line and one line
/// per result.
/// </summary>
public static class CheckerVerdict
{
    private const int MaxReportChars = 64 * 1024;

    public static JObject? From(JObject? output, int? exitCode)
    {
        if (output is null || exitCode is null) return null;
        var passed = exitCode == 0;
        var reportPath = (string?)output.SelectToken("new_env.CM_MLPERF_SUBMISSION_CHECK_REPORT") ?? (string?)output.SelectToken("error.file");
        var report = Read(reportPath);
        var lines = report?.Split('\n').Select(l => l.TrimEnd('\r')).ToList() ?? [];
        var summary = lines.LastOrDefault(l => l.StartsWith("Summary:", StringComparison.Ordinal))
                      ?? (passed ? "the checker passed the submission" : (string?)output.SelectToken("error.message") ?? $"the checker exited with code {exitCode}");
        return new JObject
        {
            ["passed"] = passed,
            ["summary"] = summary,
            ["results"] = new JArray(lines.Where(l => l.StartsWith("[PASS]", StringComparison.Ordinal) || l.StartsWith("[FAIL]", StringComparison.Ordinal))),
            ["errors"] = new JArray(lines.Select(l => l.Trim()).Where(l => l.StartsWith("ERROR ", StringComparison.Ordinal)).Take(50)),
            ["report"] = report,
            ["report_path"] = reportPath,
        };
    }

    private static string? Read(string? path)
    {
        if (path is null || Path.GetFileName(path) != "submission-check-report.txt" || !File.Exists(path)) return null;
        try
        {
            var text = File.ReadAllText(path);
            return text.Length > MaxReportChars ? text[..MaxReportChars] + "\n…" : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }
}
