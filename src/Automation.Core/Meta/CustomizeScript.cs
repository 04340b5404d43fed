using System.Text.RegularExpressions;
using Automation.Core.World;

namespace Automation.Core.Meta;

/// <summary>Which of CM's hooks a script's customize.py defines, read from its source (no Python needed).</summary>
public static partial class CustomizeScript
{
    public const string FileName = "customize.py";

    /// <summary>
    /// The hooks the engine calls, in run order. CM calls `detect_version` only from its helpers (find_artifact,
    /// detect_version_using_script) inside these hooks, never as a step of its own.
    /// </summary>
    public static readonly string[] HookOrder = ["predeps", "preprocess", "postprocess"];

    public static IReadOnlyList<string> Hooks(IFileSystem fileSystem, ScriptMeta script)
    {
        if (!script.HasCustomizePy) return [];
        var path = Path.Combine(script.Directory, FileName);
        if (!fileSystem.FileExists(path)) return [];
        var defined = Definition().Matches(fileSystem.ReadAllText(path)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return HookOrder.Where(h => defined.Contains(h) && (h != "predeps" || script.Predeps)).ToList();
    }

    /// <summary>Env-like names (upper case with underscores) written in a script's source: what its hooks or run script may set.</summary>
    public static IReadOnlySet<string> EnvNamesIn(string source) =>
        EnvName().Matches(source).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", RegexOptions.Multiline)]
    private static partial Regex Definition();

    [GeneratedRegex(@"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")]
    private static partial Regex EnvName();
}
