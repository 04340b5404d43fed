namespace Automation.Core.World;

/// <summary>A process to start. Arguments and environment are passed as data, never spliced into a shell line.</summary>
/// <param name="OwnProcessGroup">
/// Run it in its own session and process group (<see cref="SessionWrapper"/>, where available): cancelling or timing
/// out ends the whole group, and so does cm's death, however it dies. Not for commands that may ask on the terminal
/// (ssh, sudo): a new session has none.
/// </param>
/// <param name="BusyFile">With <paramref name="OwnProcessGroup"/>: a file every process of the group holds a shared
/// lock on while it lives (<see cref="SessionWrapper.BusyFileName"/>).</param>
public sealed record ProcessRequest(
    string FileName,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? LogPath = null,
    bool StreamToConsole = false,
    TimeSpan? Timeout = null,
    bool OwnProcessGroup = false,
    string? BusyFile = null);

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string CombinedOutput => StandardOutput + StandardError;
}

/// <summary>A run was cancelled; its process group, when it had one, is gone by the time this is thrown.</summary>
public sealed class ProcessCancelledException(string command, int? processGroup, CancellationToken token)
    : OperationCanceledException($"cancelled {command}" + (processGroup is { } g ? $" (process group {g} stopped)" : ""), token)
{
    public string Command { get; } = command;
    public int? ProcessGroup { get; } = processGroup;
}

public interface IProcessRunner
{
    /// <summary>
    /// Runs to completion. A missing executable yields exit code 127 and the reason in StandardError, not an
    /// exception; a timeout yields 124. Cancellation throws an <see cref="OperationCanceledException"/>
    /// (<see cref="ProcessCancelledException"/> for a request with its own process group).
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default);
}
