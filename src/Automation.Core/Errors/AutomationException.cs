namespace Automation.Core.Errors;

/// <summary>
/// A failure the user can fix. The CLI prints <see cref="Exception.Message"/> as one paragraph and exits non-zero;
/// stack traces appear only with --verbose. Every message names what failed (file, script) and what to do.
/// </summary>
public class AutomationException(string message, string? file = null, string? script = null, string? fix = null, Exception? inner = null)
    : Exception(Compose(message, file, script, fix), inner)
{
    public string? File { get; } = file;
    public string? Script { get; } = script;
    public string? Fix { get; } = fix;
    /// <summary>Process exit code the CLI uses for this failure.</summary>
    public virtual int ExitCode => 1;

    private static string Compose(string message, string? file, string? script, string? fix)
    {
        var text = message.TrimEnd();
        if (script is not null && !text.Contains(script, StringComparison.Ordinal)) text = $"Script '{script}': {text}";
        if (file is not null && !text.Contains(file, StringComparison.Ordinal)) text += $" (file: {file})";
        if (!text.EndsWith('.')) text += ".";
        if (fix is not null) text += " " + fix.TrimEnd();
        return text;
    }
}
