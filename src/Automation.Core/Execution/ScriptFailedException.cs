using Automation.Core.Errors;

namespace Automation.Core.Execution;

public sealed class ScriptFailedException(string script, string scriptFile, int exitCode, string logPath, IReadOnlyList<string> lastLines)
    : AutomationException(
        $"Script '{script}' failed: {Path.GetFileName(scriptFile)} exited with code {exitCode}. Last lines of its log:\n    " +
        string.Join("\n    ", lastLines.Count == 0 ? ["(no output)"] : lastLines) + $"\nFull log: {logPath}",
        scriptFile, script,
        "Read the log above; fix the cause (a missing tool, a wrong input or env value) and run again. Nothing was cached for this step.")
{
    private readonly IReadOnlyList<string> lastLines = lastLines;

    public int ScriptExitCode { get; } = exitCode;
    public string ScriptName { get; } = script;
    public string ScriptFile { get; } = scriptFile;

    public ScriptFailedException WithLogPath(string path) => new(ScriptName, ScriptFile, ScriptExitCode, path, lastLines);
    public string LogPath { get; } = logPath;
}
