using System.ComponentModel;
using System.Diagnostics;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Core.World;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Customize;

/// <summary>
/// Runs customize.py hooks in one long-lived Python child per engine run, started when the first hook is reached
/// (docs/customize-host.md). Calls nest: while a hook waits for a nested run (`mlc.access`), that run's own hooks go
/// to the same child, which serves them re-entrantly; each call reads the child's messages until its own result.
/// The child's stderr (the hooks' logs) goes to the log of the step whose hook is running, and to the console unless
/// quiet. Disposing ends the child; cancelling a hook kills it.
/// </summary>
public sealed class PythonHookHost(string hostFilesRoot, string python = "python3", TextWriter? console = null) : ICustomizeHooks, IDisposable
{
    private readonly object logGate = new(); // Monitor.Wait: the reply waits for the stderr mark
    private readonly Stack<(TextWriter? Log, bool Quiet)> logs = new();
    private readonly List<string> recentStderr = [];
    private Process? child;
    private bool grouped;
    private int nextId;

    /// <summary>How many times a child was started (a fully cached run starts none).</summary>
    public int Starts { get; private set; }

    public async Task<HookResult> RunAsync(HookCall call, CancellationToken cancellationToken)
    {
        var process = Start(call);
        var id = ++nextId;
        var message = HookMessages.Call(id, call);
        var sentMeta = (JObject)message["i"]!["meta"]!;
        using var log = OpenLog(call.LogPath);
        lock (logGate) logs.Push((log, call.Quiet));
        try
        {
            await SendAsync(process, message, call, cancellationToken);
            while (true)
            {
                var reply = await ReceiveAsync(process, call, cancellationToken);
                switch (reply.Value<string>("op"))
                {
                    case "result" when reply.Value<int?>("id") == id:
                        return HookMessages.Apply(reply, call, sentMeta);
                    case "access":
                        var answer = call.Access is null
                            ? new JObject { ["return"] = 1, ["error"] = "nested runs are not available here" }
                            : await AnswerAsync(call, reply["request"] as JObject ?? new JObject(), cancellationToken);
                        await SendAsync(process, new JObject { ["op"] = "access_result", ["id"] = reply["id"], ["result"] = answer }, call, cancellationToken);
                        break;
                    default:
                        throw Broken(call, $"it sent an unexpected message: {Shorten(reply.ToString(Formatting.None))}");
                }
            }
        }
        finally
        {
            lock (logGate) logs.Pop();
        }
    }

    /// <summary>A nested run's failure goes back to the hook as CM's error dict, as CM's access() returns it.</summary>
    private static async Task<JObject> AnswerAsync(HookCall call, JObject request, CancellationToken ct)
    {
        try
        {
            return await call.Access!(request, ct);
        }
        catch (AutomationException e)
        {
            return new JObject { ["return"] = 1, ["error"] = e.Message };
        }
    }

    private Process Start(HookCall call)
    {
        if (child is { HasExited: false }) return child;
        var folder = CustomizeHostFiles.Materialize(hostFilesRoot);
        // In its own session where we can (util-linux setsid execs in place, so the child's pid is its group):
        // cancelling a hook ends whatever it started, and the host ends its group itself when cm dies
        // (cm_customize_host.watch_engine). setsid would report a missing python only as exit code 1, so it is
        // looked up first.
        grouped = SessionWrapper.Available && (python.Contains('/') ? File.Exists(python) : Executables.FindOnPath(python, Environment.GetEnvironmentVariable("PATH")) is not null);
        var info = new ProcessStartInfo(grouped ? SessionWrapper.SetsidPath! : python)
        {
            ArgumentList = { "-u", "-X", "utf8", Path.Combine(folder, CustomizeHostFiles.EntryScript) },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = call.WorkDir,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        if (grouped) info.ArgumentList.Insert(0, python);
        // Library folders stay as they are: no __pycache__ written into them (it would change their content hashes).
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        // The host puts this back as PATH: wrappers such as pyenv's shim put their own folders first.
        info.Environment["CM_CUSTOMIZE_HOST_PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "";
        try
        {
            child = Process.Start(info) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new AutomationException(
                $"script '{call.Call.Script.Alias}' needs Python for its customize.py ({call.Hook}), but '{python}' could not be started: {e.Message}",
                Path.Combine(call.Call.Script.Directory, Meta.CustomizeScript.FileName), call.Call.Script.Alias,
                "Install Python 3 (apt-get install python3) or point CM_PYTHON_HOST at a python3 executable.");
        }
        Starts++;
        child.StandardInput.AutoFlush = true;
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) Forward(e.Data); };
        child.BeginErrorReadLine();
        return child;
    }

    /// <summary>The host's numbered mark on stderr before each message (cm_host_channel.py): never logged.</summary>
    private const string StderrMark = "\0cm-stderr-mark ";
    private int stderrMarkSeen;

    /// <summary>
    /// Waits (briefly) until the host's stderr has been read up to the mark its message names, so the lines a hook
    /// printed before replying go to that hook's step log, not to nowhere after the log was closed.
    /// </summary>
    private void WaitForStderr(JObject message)
    {
        if (message.Value<int?>("stderr_mark") is not { } mark) return;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        lock (logGate)
            while (stderrMarkSeen < mark && DateTime.UtcNow < deadline)
                Monitor.Wait(logGate, TimeSpan.FromMilliseconds(100));
    }

    private void Forward(string line)
    {
        if (line.StartsWith(StderrMark, StringComparison.Ordinal))
        {
            lock (logGate)
            {
                if (int.TryParse(line.AsSpan(StderrMark.Length), out var mark)) stderrMarkSeen = Math.Max(stderrMarkSeen, mark);
                Monitor.PulseAll(logGate);
            }
            return;
        }
        // Hooks print what they fetch (real libraries echo their download URLs): user:pass@ never reaches a log or the console.
        line = Security.UrlCredentials.Redact(line);
        lock (logGate)
        {
            recentStderr.Add(line);
            if (recentStderr.Count > 20) recentStderr.RemoveAt(0);
            var (log, quiet) = logs.Count > 0 ? logs.Peek() : (null, true);
            log?.WriteLine(line);
            log?.Flush();
            if (!quiet) console?.WriteLine(line);
        }
    }

    private async Task SendAsync(Process process, JObject message, HookCall call, CancellationToken ct)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(message.ToString(Formatting.None).AsMemory(), ct);
        }
        catch (IOException)
        {
            throw Broken(call, "it exited while the engine was writing to it");
        }
    }

    private async Task<JObject> ReceiveAsync(Process process, HookCall call, CancellationToken ct)
    {
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(ct);
        }
        catch (OperationCanceledException e)
        {
            var group = grouped ? process.Id : (int?)null;
            Kill();
            throw new StepCancelledException(call.Call.Script.Alias, $"customize.py {call.Hook}()", group, e.CancellationToken);
        }
        if (line is null)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            throw Broken(call, $"it exited (code {process.ExitCode})");
        }
        try
        {
            var message = JObject.Parse(line);
            WaitForStderr(message);
            return message;
        }
        catch (JsonReaderException)
        {
            throw Broken(call, $"it wrote a line that is not a protocol message: {Shorten(line)}");
        }
    }

    private AutomationException Broken(HookCall call, string what)
    {
        string tail;
        lock (logGate) tail = string.Join(" | ", recentStderr.TakeLast(5));
        Kill();
        return new AutomationException(
            $"the customize.py host stopped working while running {call.Hook}() of script '{call.Call.Script.Alias}': {what}{(tail.Length > 0 ? $"; its last messages: {tail}" : "")}",
            Path.Combine(call.Call.Script.Directory, Meta.CustomizeScript.FileName), call.Call.Script.Alias,
            "Run again with --verbose; if it persists, report it with the step log" + (call.LogPath is { } l ? $" ({l})." : "."));
    }

    private static TextWriter? OpenLog(string? path)
    {
        if (path is null) return null;
        try
        {
            return new StreamWriter(path, append: true);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>Ends the host and, when it has its own group, everything its hooks started; returns once they are gone.</summary>
    private void Kill()
    {
        try
        {
            if (child is { HasExited: false } process)
            {
                if (grouped) ProcessGroups.StopAsync(process.Id, ProcessGroups.Grace).GetAwaiter().GetResult();
                else process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException) { }
        child?.Dispose();
        child = null;
    }

    public void Dispose()
    {
        if (child is { HasExited: false } process)
        {
            try
            {
                process.StandardInput.WriteLine("""{"op":"shutdown"}""");
                if (!process.WaitForExit(2000)) Kill();
            }
            catch (IOException) { Kill(); }
            catch (InvalidOperationException) { }
        }
        child?.Dispose();
        child = null;
    }
}
