namespace Automation.Core.World;

/// <summary>A process to start. Arguments and environment are passed as data, never spliced into a shell line.</summary>
public sealed record ProcessRequest(
    string FileName,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? LogPath = null,
    bool StreamToConsole = false,
    TimeSpan? Timeout = null);

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string CombinedOutput => StandardOutput + StandardError;
}

public interface IProcessRunner
{
    /// <summary>Runs to completion. A missing executable yields exit code 127 and the reason in StandardError, not an exception.</summary>
    Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default);
}
