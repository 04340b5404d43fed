using System.ComponentModel;
using System.Text;
using Automation.Core.Security;
using CliWrap;

namespace Automation.Core.World;

public sealed class CliWrapProcessRunner : IProcessRunner
{
    public static CliWrapProcessRunner Instance { get; } = new();

    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var log = request.LogPath is null ? null : OpenLog(request.LogPath);
        var logLock = new object();

        void OnOut(string line)
        {
            stdout.AppendLine(line);
            if (request.StreamToConsole) Console.Error.WriteLine(line);
            if (log is not null) lock (logLock) log.WriteLine(UrlCredentials.Redact(line));
        }

        void OnErr(string line)
        {
            stderr.AppendLine(line);
            if (request.StreamToConsole) Console.Error.WriteLine(line);
            if (log is not null) lock (logLock) log.WriteLine(UrlCredentials.Redact(line));
        }

        var command = Cli.Wrap(request.FileName)
            .WithArguments(request.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(OnOut))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(OnErr));
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
            return new ProcessResult(result.ExitCode, stdout.ToString(), stderr.ToString());
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
            return new ProcessResult(124, stdout.ToString(), stderr + $"timed out after {request.Timeout}");
        }
    }

    private static StreamWriter OpenLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(path, append: true) { AutoFlush = true };
    }
}
