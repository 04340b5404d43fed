using System.Text.RegularExpressions;
using Automation.Core.Versioning;
using Automation.Core.World;

namespace Automation.Core.Detection;

internal sealed record ProbeOutcome(
    ToolVersion? Version,
    string Output,
    int ExitCode,
    string? Rejection,
    IReadOnlyList<KeyValuePair<string, string>> Groups,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? Rows)
{
    public static ProbeOutcome Rejected(string reason, string output = "", int exitCode = 0) => new(null, output, exitCode, reason, [], null);
}

/// <summary>
/// Runs a candidate's version command (as an argument list, never a shell line) and reads the version from its
/// output: by regex over stdout+stderr, or from a CSV column. The probe runs with LC_ALL=C so compilers print
/// their untranslated banner.
/// </summary>
internal sealed class VersionProbe(IProcessRunner runner, IFileSystem fileSystem, DetectSpec spec, IReadOnlyDictionary<string, string> env)
{
    private readonly Regex _regex = new(spec.VersionRegex, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
    private readonly IReadOnlyDictionary<string, string> _environment = ProbeEnvironment(env);

    public async Task<ProbeOutcome> RunAsync(string path, CancellationToken ct)
    {
        if (spec.ReadFile) return ReadContents(path);
        var result = await runner.RunAsync(new ProcessRequest(path, spec.VersionArgs, Environment: _environment, Timeout: spec.Timeout), ct);
        var output = result.CombinedOutput;
        if (result.ExitCode == 124 && output.Contains("timed out", StringComparison.Ordinal))
            return ProbeOutcome.Rejected($"version command timed out after {spec.Timeout.TotalSeconds:0.#} s", output, 124);
        if (result.ExitCode == 127 && result.StandardOutput.Length == 0 && result.StandardError.StartsWith("cannot start", StringComparison.Ordinal))
            return ProbeOutcome.Rejected(result.StandardError.Trim(), output, 127);
        return spec.Csv is { } csv ? ReadCsv(csv, output, result.ExitCode) : ReadRegex(output, result.ExitCode);
    }

    private ProbeOutcome ReadContents(string path)
    {
        string text;
        try { text = fileSystem.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ProbeOutcome.Rejected($"could not be read: {e.Message}"); }
        return ReadRegex(text.Length > DetectSpec.MaxReadBytes ? text[..DetectSpec.MaxReadBytes] : text, 0);
    }

    private ProbeOutcome ReadRegex(string output, int exitCode)
    {
        // The exit code is not checked: some tools print their version and exit non-zero; the regex is the test.
        var match = _regex.Match(output);
        if (!match.Success)
            return ProbeOutcome.Rejected($"output did not match version_regex /{spec.VersionRegex}/ (exit code {exitCode}, output: {Excerpt(output)})", output, exitCode);
        var groups = _regex.GetGroupNames()
            .Where(name => !int.TryParse(name, out _) && match.Groups[name].Success)
            .Select(name => KeyValuePair.Create(name, match.Groups[name].Value))
            .ToList();
        var captured = spec.VersionTemplate is { } template ? EnvTemplate.RenderText(template, groups)
            : match.Groups["version"].Success ? match.Groups["version"].Value : match.Groups[1].Value;
        if (!ToolVersion.TryParse(captured, out var version))
            return ProbeOutcome.Rejected($"version_{(spec.VersionTemplate is null ? "regex captured" : "template gave")} '{captured}', which is not a version", output, exitCode);
        return new ProbeOutcome(version, output, exitCode, null, groups, null);
    }

    private static ProbeOutcome ReadCsv(CsvQuery csv, string output, int exitCode)
    {
        // Unlike a banner, rows from a failed query (nvidia-smi without a driver) cannot be trusted.
        if (exitCode != 0) return ProbeOutcome.Rejected($"query exited with code {exitCode} (output: {Excerpt(output)})", output, exitCode);
        var lines = CsvRows.Parse(output).Skip(csv.Header ? 1 : 0).ToList();
        if (lines.Count == 0) return ProbeOutcome.Rejected("query printed no CSV rows", output, exitCode);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        foreach (var cells in lines)
        {
            if (cells.Count != csv.Columns.Count)
                return ProbeOutcome.Rejected(
                    $"CSV row {rows.Count} has {cells.Count} fields, expected {csv.Columns.Count} ({string.Join(", ", csv.Columns)}): {Excerpt(string.Join(",", cells))}",
                    output, exitCode);
            rows.Add(csv.Columns.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }
        var text = rows[0][csv.VersionColumn];
        if (!ToolVersion.TryParse(text, out var version))
            return ProbeOutcome.Rejected($"column '{csv.VersionColumn}' holds '{text}', which is not a version", output, exitCode);
        return new ProbeOutcome(version, output, exitCode, null, [], rows);
    }

    private static IReadOnlyDictionary<string, string> ProbeEnvironment(IReadOnlyDictionary<string, string> env)
    {
        // '+PATH'-style keys are instructions to the env layer, not variables.
        var result = env.Where(kv => !kv.Key.StartsWith('+')).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        result.TryAdd("LC_ALL", "C");
        return result;
    }

    private static string Excerpt(string output)
    {
        var text = string.Join(" | ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3));
        if (text.Length == 0) return "empty";
        return text.Length <= 200 ? $"'{text}'" : $"'{text[..200]}…'";
    }
}
