using Automation.Core.Errors;

namespace Automation.Core.Meta;

/// <summary>
/// A meta that cannot be read at all (bad YAML or JSON, not a mapping). The message starts with `file:line:col:`
/// (1-based, as editors show) when the position is known.
/// </summary>
public sealed class MetaException(string problem, string file, string? script = null, string? fix = null, int line = 0, int column = 0)
    : AutomationException(line > 0 ? $"{file}:{line}:{column}: {problem}" : problem, file, script,
        fix ?? $"Fix {file} (it must be a mapping with CM's script keys; see docs/meta-reference.md).")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    /// <summary>The problem alone, without the position, file and fix that <see cref="Exception.Message"/> adds.</summary>
    public string Problem { get; } = problem;

    /// <summary>The one-line warning a catalog gives when it skips the folder of this meta.</summary>
    public MetaWarning ToWarning() => new(File!, Line, Column, Problem + "; the script is skipped");
}
