using System.Text;
using Automation.Core.Security;

namespace Automation.Core.World;

/// <summary>Where a child's output lines go: kept for the result, appended to the request's log, echoed to the console when asked.</summary>
internal sealed class ProcessOutput : IDisposable
{
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly StreamWriter? log;
    private readonly bool toConsole;
    private readonly Lock gate = new();

    public ProcessOutput(ProcessRequest request)
    {
        toConsole = request.StreamToConsole;
        if (request.LogPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            log = new StreamWriter(path, append: true) { AutoFlush = true };
        }
    }

    public void Out(string line) => Add(stdout, line);

    public void Err(string line) => Add(stderr, line);

    private void Add(StringBuilder to, string line)
    {
        lock (gate)
        {
            to.AppendLine(line);
            if (toConsole) Console.Error.WriteLine(line);
            log?.WriteLine(UrlCredentials.Redact(line));
        }
    }

    public ProcessResult Result(int exitCode, string? note = null)
    {
        lock (gate) return new ProcessResult(exitCode, stdout.ToString(), stderr + (note ?? ""));
    }

    public void Dispose() => log?.Dispose();
}
