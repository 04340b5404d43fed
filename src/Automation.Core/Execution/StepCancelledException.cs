namespace Automation.Core.Execution;

/// <summary>
/// A step stopped because the run was cancelled (Ctrl-C, TERM, a caller's token): what was running and, when it had
/// one, the process group that was ended. By the time this is thrown no process of that group is left.
/// </summary>
public sealed class StepCancelledException(string script, string what, int? processGroup, CancellationToken token)
    : OperationCanceledException($"stopped script '{script}' ({what}{(processGroup is { } g ? $", process group {g}" : "")})", token)
{
    public string Script { get; } = script;
    public string What { get; } = what;
    public int? ProcessGroup { get; } = processGroup;
}
