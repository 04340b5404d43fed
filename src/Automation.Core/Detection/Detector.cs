using Automation.Core.Errors;
using Automation.Core.Versioning;
using Automation.Core.World;

namespace Automation.Core.Detection;

/// <summary>
/// Runs a <see cref="DetectSpec"/>: finds candidate executables, probes their versions and picks one.
/// Choice: only candidates satisfying the constraint; with all_matches the newest of them (ties: search order),
/// otherwise the first in search order (probing stops there).
/// </summary>
public sealed class Detector(IFileSystem fileSystem, IHostEnvironment host, IProcessRunner runner)
{
    private sealed record Examined(LocatedFile File, ProbeOutcome Outcome, bool Satisfies);

    public async Task<DetectionResult> DetectAsync(
        DetectSpec spec, IReadOnlyDictionary<string, string> env, VersionConstraint constraint, CancellationToken ct = default)
    {
        var finder = new CandidateFinder(fileSystem, host, spec, env);
        var probe = new VersionProbe(runner, fileSystem, spec, env);
        var examined = new List<Examined>();
        foreach (var file in finder.Find())
        {
            var outcome = file.Executable || spec.ReadFile ? await probe.RunAsync(file.Path, ct) : ProbeOutcome.Rejected("not executable");
            var satisfies = outcome.Version is not null && constraint.IsSatisfiedBy(outcome.Version);
            examined.Add(new Examined(file, outcome, satisfies));
            if (satisfies && !spec.AllMatches) break;
        }

        var candidates = examined.Select(e => ToCandidate(e, constraint)).ToList();
        var chosen = Choose(examined) ?? throw DetectionException.NothingSuitable(spec, constraint, finder.Searched, candidates);
        var evidence = new DetectionEvidence(
            chosen.File.Path, spec.ReadFile ? [] : spec.VersionArgs, chosen.Outcome.Output, DescribeRule(spec), chosen.File.Path,
            chosen.Outcome.Version!.Original, Reason(spec, finder, constraint, examined));
        return new DetectionResult(chosen.File.Path, chosen.Outcome.Version, RenderEnv(spec, chosen), evidence, candidates);
    }

    private static Examined? Choose(IReadOnlyList<Examined> examined)
    {
        Examined? best = null;
        foreach (var e in examined.Where(e => e.Satisfies))
            if (best is null || e.Outcome.Version! > best.Outcome.Version!) best = e;
        return best;
    }

    private static DetectionCandidate ToCandidate(Examined e, VersionConstraint constraint)
    {
        var rejection = e.Outcome.Rejection ?? (e.Satisfies ? null : $"does not satisfy {constraint}");
        return new DetectionCandidate(e.File.Path, e.File.RealPath, e.File.Source, e.Outcome.Version?.Original, e.Satisfies, rejection);
    }

    private static string Reason(DetectSpec spec, CandidateFinder finder, VersionConstraint constraint, IReadOnlyList<Examined> examined)
    {
        if (finder.PointerKey is { } key) return $"pointed at by {key}, satisfies {constraint}";
        var satisfying = examined.Count(e => e.Satisfies);
        return spec.AllMatches
            ? $"newest of {satisfying} candidate(s) satisfying {constraint} ({examined.Count} examined)"
            : $"first candidate in search order satisfying {constraint} ({examined.Count} examined)";
    }

    private static string DescribeRule(DetectSpec spec) => spec.Csv is { } csv
        ? $"csv columns={string.Join(",", csv.Columns)} version_column={csv.VersionColumn}"
        : spec.VersionTemplate is { } template ? $"{spec.VersionRegex} -> {template}" : spec.VersionRegex;

    private static IReadOnlyDictionary<string, string> RenderEnv(DetectSpec spec, Examined chosen)
    {
        var rows = chosen.Outcome.Rows;
        var variables = EnvTemplate.ToolVariables(chosen.File.Path, chosen.File.RealPath, chosen.Outcome.Version!, chosen.Outcome.Groups, rows?.Count);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        Exception Fail(string key, string problem) =>
            new AutomationException($"detect env '{key}' could not be rendered: {problem}", spec.MetaFile, spec.ScriptAlias);
        EnvTemplate.RenderInto(spec.Env, variables, env, Fail);
        if (spec.Csv is { } csv && rows is not null)
            for (var i = 0; i < rows.Count; i++)
                EnvTemplate.RenderInto(csv.RowEnv, EnvTemplate.RowVariables(variables, i, rows[i]), env, Fail);
        return env;
    }
}
