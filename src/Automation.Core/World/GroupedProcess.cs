using System.ComponentModel;
using System.Diagnostics;

namespace Automation.Core.World;

/// <summary>
/// Runs one request as its own session and process group through <see cref="SessionWrapper"/>. Cancellation and
/// timeout end the whole group (TERM, grace, KILL) and return only once it is gone, so no process of the run can
/// touch its folder afterwards. System.Diagnostics.Process rather than CliWrap: the wrapper's stdin is the lifeline,
/// which must stay open, unwritten, until the run is over, and the group is ended by signals, not a process tree walk.
/// </summary>
internal static class GroupedProcess
{
    public static async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        using var output = new ProcessOutput(request);
        var (file, arguments) = SessionWrapper.Wrap(request.FileName, request.Arguments, request.BusyFile);
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (request.WorkingDirectory is not null) info.WorkingDirectory = request.WorkingDirectory;
        // As CliWrap does: the request's variables over this process's own.
        if (request.Environment is not null)
            foreach (var (k, v) in request.Environment) info.Environment[k] = v;

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Out(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Err(e.Data); };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(127, "", $"cannot start '{request.FileName}': {e.Message}");
        }
        var group = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = request.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = timeout is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            return output.Result(process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process, group).ConfigureAwait(false);
            if (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
                return output.Result(124, $"timed out after {request.Timeout}");
            throw new ProcessCancelledException(Path.GetFileName(request.Arguments.FirstOrDefault() ?? request.FileName), group, cancellationToken);
        }
        finally
        {
            // Closing the lifeline: after a normal end the watcher leaves; otherwise it ends the group too.
            CloseQuietly(process);
        }
    }

    /// <summary>The lifeline first (the watcher then ends the group as well), then TERM/KILL from here; waits until the group is gone.</summary>
    private static async Task StopAsync(Process process, int group)
    {
        CloseQuietly(process);
        await ProcessGroups.StopAsync(group, ProcessGroups.Grace).ConfigureAwait(false);
        // The output pipes reach EOF once every holder is gone; a process that left the group may keep them open.
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await process.WaitForExitAsync(drained.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    private static void CloseQuietly(Process process)
    {
        try { process.StandardInput.Close(); }
        catch (IOException) { }
        catch (InvalidOperationException) { }
    }
}
