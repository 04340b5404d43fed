using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Automation.Records.ArtifactEvaluation;

/// <summary>A claim's outcome: the figure measured, whether it meets the expectation, and why not.</summary>
public sealed record ClaimResult(Claim Claim, bool Passed, string? Measured, string Detail, int ExitCode, double Seconds, IReadOnlyList<string> Command);

/// <summary>
/// Runs each claim's command and checks its figure. A command starting with <c>cm</c> runs this cm binary with
/// <c>-j --quiet</c> added, and an <c>env</c> expectation reads the JSON's <c>new_env</c>; any other command runs as
/// written and is checked with a regex over its stdout. <c>{results}</c> in a command is the results folder.
/// </summary>
public sealed class ClaimChecker(string cmFile, IReadOnlyList<string> cmPrefixArgs, string resultsDir, TextWriter log)
{
    public ClaimResult Check(Claim claim, bool smoke, string workDir)
    {
        var words = CommandLine.Split(claim.Command.Replace("{results}", resultsDir, StringComparison.Ordinal));
        if (smoke) words.AddRange(claim.SmokeArgs.Select(a => a.Replace("{results}", resultsDir, StringComparison.Ordinal)));
        var isCm = words.Count > 0 && words[0] == "cm";
        if (isCm && claim.Expect.Env is not null) { if (!words.Contains("-j") && !words.Contains("--json")) words.Add("-j"); if (!words.Contains("--quiet")) words.Add("--quiet"); }
        var psi = isCm ? new ProcessStartInfo(cmFile) : new ProcessStartInfo(words[0]);
        foreach (var a in isCm ? [.. cmPrefixArgs, .. words.Skip(1)] : words.Skip(1)) psi.ArgumentList.Add(a);
        psi.WorkingDirectory = workDir;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        var watch = Stopwatch.StartNew();
        log.WriteLine($"[{claim.Id}] {string.Join(' ', words)}");
        string stdout, stderr;
        int exit;
        try
        {
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(claim.TimeoutSeconds))) { p.Kill(true); return Fail($"timed out after {claim.TimeoutSeconds} s", null, 124); }
            stdout = o.Result;
            stderr = e.Result;
            exit = p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e) { return Fail($"could not start '{words[0]}': {e.Message}", null, 127); }
        if (exit != 0) return Fail($"the command failed (exit {exit}): {LastLine(stderr)}", null, exit);

        string? measured;
        if (claim.Expect.Env is { } key)
        {
            JObject json;
            try { json = JObject.Parse(stdout); }
            catch (Newtonsoft.Json.JsonReaderException) { return Fail("the command's stdout is not cm's -j JSON document", null, exit); }
            measured = (string?)json["new_env"]?[key] ?? (string?)json["env"]?[key];
            if (measured is null) return Fail($"the run exported no {key}", null, exit);
        }
        else
        {
            var m = Regex.Match(stdout, claim.Expect.Regex!, RegexOptions.Multiline);
            if (!m.Success) return Fail($"stdout has no match for /{claim.Expect.Regex}/", null, exit);
            measured = m.Groups.Count > 1 ? m.Groups[1].Value : m.Value;
        }
        var (ok, why) = Meets(claim.Expect, measured);
        return new ClaimResult(claim, ok, measured, why, exit, watch.Elapsed.TotalSeconds, words);

        ClaimResult Fail(string detail, string? value, int code) => new(claim, false, value, detail, code, watch.Elapsed.TotalSeconds, words);
    }

    public static (bool Ok, string Why) Meets(Expectation e, string measured)
    {
        if (e.EqualsText is { } word)
            return measured == word ? (true, $"{measured} = {word}") : (false, $"{measured} ≠ {word}");
        if (!double.TryParse(measured, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            return (false, $"'{measured}' is not a number");
        if (e.Value is { } target && Math.Abs(v - target) > (e.Tolerance ?? 0)) return (false, $"{measured} is outside {target} ± {e.Tolerance ?? 0}");
        if (e.Min is { } lo && v < lo) return (false, $"{measured} < {lo}");
        if (e.Max is { } hi && v > hi) return (false, $"{measured} > {hi}");
        return (true, $"{measured} meets {e.Describe()}");
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
