using System.Security.Cryptography;
using System.Text;

namespace Automation.Experiments.Sweeps;

/// <summary>
/// What one `cm run experiment` asks for: the script (tags), flags every point gets, the axes, and the templates
/// that name each point's folder and add per-point flags.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>Default point folder: readable, unique per point, stable across re-runs.</summary>
    public const string DefaultPointDirTemplate = "{{ results_dir }}/{{ point.slug }}";

    public required string Tags { get; init; }
    /// <summary>Flags passed unchanged to every point's `cm run script` (script inputs, --env.*, --adr.*).</summary>
    public IReadOnlyList<string> FixedArgs { get; init; } = [];
    public required IReadOnlyList<SweepAxis> Axes { get; init; }
    public required string ResultsDir { get; init; }
    public string PointDirTemplate { get; init; } = DefaultPointDirTemplate;
    /// <summary>Fluid templates rendered per point and appended as flags, e.g. <c>--results_dir={{ point.dir }}</c>.</summary>
    public IReadOnlyList<string> PointArgTemplates { get; init; } = [];

    /// <summary>Hash of everything that decides what a point runs except its own parameters.</summary>
    public string Hash => ContentHash.Of(["automation.experiment/1", "tags=" + NormalizedTags,
        .. FixedArgs.Order(StringComparer.Ordinal).Select(a => "arg=" + a), .. PointArgTemplates.Select(t => "template=" + t)]);

    public string NormalizedTags => string.Join(',', Tags.Split(',', ' ').Select(t => t.Trim()).Where(t => t.Length > 0).Order(StringComparer.Ordinal));
}

public static class ContentHash
{
    public static string Of(IEnumerable<string> lines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
}
