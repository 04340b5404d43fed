using Automation.Core.Errors;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Execution;

/// <summary>Runs one script's native run script in its work folder, env passed as environment (never spliced into a command line).</summary>
public sealed class StepRunner(IProcessRunner processes, IHostEnvironment host, IFileSystem fileSystem)
{
    public const string LogName = "cm-run.log";

    /// <summary>The run script for this OS, or null when the script has none (a meta-only script).</summary>
    public string? FindRunScript(ScriptMeta script)
    {
        var declared = script.Raw.Value<string>("run_script");
        if (declared is not null)
        {
            var path = Path.Combine(script.Directory, declared);
            return fileSystem.FileExists(path) ? path : throw new AutomationException(
                $"the meta names run script '{declared}', but {path} does not exist", script.MetaFile, script.Alias,
                $"Create {declared} in {script.Directory} or remove 'run_script' from the meta.");
        }
        var mine = Path.Combine(script.Directory, host.IsWindows ? "run.bat" : "run.sh");
        if (fileSystem.FileExists(mine)) return mine;
        var other = Path.Combine(script.Directory, host.IsWindows ? "run.sh" : "run.bat");
        if (fileSystem.FileExists(other))
            throw new AutomationException(
                $"script '{script.Alias}' has only {Path.GetFileName(other)}, no run script for this OS", script.MetaFile, script.Alias,
                $"Add {(host.IsWindows ? "run.bat" : "run.sh")} to {script.Directory}.");
        return null;
    }

    public async Task<Dictionary<string, string>> RunAsync(ScriptMeta script, string runScript, IReadOnlyDictionary<string, string> env,
        string workDir, bool quiet, CancellationToken ct)
    {
        fileSystem.CreateDirectory(workDir);
        RunScriptProtocol.ClearOutputs(fileSystem, workDir);
        var logPath = Path.Combine(workDir, LogName);
        fileSystem.DeleteFile(logPath);
        var processEnv = EnvRules.ForProcess(env, host.Variables, host.PathListSeparator);
        var request = host.IsWindows
            ? new ProcessRequest("cmd.exe", ["/d", "/c", runScript], workDir, processEnv, logPath, !quiet)
            : new ProcessRequest("bash", [runScript], workDir, processEnv, logPath, !quiet);
        var result = await processes.RunAsync(request, ct);
        if (result.ExitCode != 0)
        {
            var lines = result.CombinedOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(12).ToList();
            throw new ScriptFailedException(script.Alias, runScript, result.ExitCode, logPath, lines);
        }
        return RunScriptProtocol.ReadEnv(fileSystem, workDir);
    }

    public Newtonsoft.Json.Linq.JObject ReadState(string workDir, string script) => RunScriptProtocol.ReadState(fileSystem, workDir, script);
}
