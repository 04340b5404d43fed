using System.ComponentModel;
using CliWrap;

namespace Automation.Core.World;

/// <summary>The real processes: CliWrap for plain requests, <see cref="GroupedProcess"/> for those with their own process group.</summary>
public sealed class CliWrapProcessRunner : IProcessRunner
{
    public static CliWrapProcessRunner Instance { get; } = new();

    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        if (request.OwnProcessGroup && SessionWrapper.Available) return await GroupedProcess.RunAsync(request, cancellationToken);
        using var output = new ProcessOutput(request);
        var command = Cli.Wrap(request.FileName)
            .WithArguments(request.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(output.Out))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(output.Err));
        if (request.WorkingDirectory is not null) command = command.WithWorkingDirectory(request.WorkingDirectory);
        if (request.Environment is not null)
            command = command.WithEnvironmentVariables(request.Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));

        using var timeout = request.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = timeout is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await command.ExecuteAsync(linked.Token);
            return output.Result(result.ExitCode);
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(127, "", $"cannot start '{request.FileName}': {e.Message}");
        }
        catch (InvalidOperationException e) when (e.InnerException is Win32Exception w)
        {
            return new ProcessResult(127, "", $"cannot start '{request.FileName}': {w.Message}");
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true)
        {
            return output.Result(124, $"timed out after {request.Timeout}");
        }
    }
}
