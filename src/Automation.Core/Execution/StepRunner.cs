using Automation.Core.Errors;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Execution;

/// <summary>Runs one script's native run script in its work folder, env passed as environment (never spliced into a command line).</summary>
public sealed class StepRunner(IProcessRunner processes, IHostEnvironment host, IFileSystem fileSystem)
{
    public const string LogName = "cm-run.log";

    /// <summary>
    /// The run script for this OS, or null when the script has none (a meta-only script): the meta's `run_script`
    /// (ours), else CM's choice among `NAME-<flavor>-<version>-<arch>.sh` ... `NAME.sh` by the detected OS in the env
    /// (NAME is the meta's `script_name`, default `run`), or `NAME.bat` on Windows.
    /// </summary>
    /// <param name="chosenName">The name a customize.py hook chose (`run_script_input['script_name']`), instead of the meta's.</param>
    public string? FindRunScript(ScriptMeta script, IReadOnlyDictionary<string, string>? env = null, string? chosenName = null)
    {
        var declared = script.Raw.Value<string>("run_script");
        if (declared is not null)
        {
            var path = Path.Combine(script.Directory, declared);
            return fileSystem.FileExists(path) ? path : throw new AutomationException(
                $"the meta names run script '{declared}', but {path} does not exist", script.MetaFile, script.Alias,
                $"Create {declared} in {script.Directory} or remove 'run_script' from the meta.");
        }
        var name = chosenName ?? (script.Raw.Value<string>("script_name") is { Length: > 0 } n ? n.Trim() : "run");
        if (!host.IsWindows && ForThisOs(script, name, env ?? Meta.ScriptMeta.Empty) is { } chosen) return chosen;
        var mine = Path.Combine(script.Directory, name + (host.IsWindows ? ".bat" : ".sh"));
        if (fileSystem.FileExists(mine)) return mine;
        var other = Path.Combine(script.Directory, name + (host.IsWindows ? ".sh" : ".bat"));
        if (fileSystem.FileExists(other))
            throw new AutomationException(
                $"script '{script.Alias}' has only {Path.GetFileName(other)}, no run script for this OS", script.MetaFile, script.Alias,
                $"Add {(host.IsWindows ? "run.bat" : "run.sh")} to {script.Directory}.");
        return null;
    }

    /// <summary>CM's most specific `NAME-...sh` for the OS the env describes (detect-os's keys), when the folder has any.</summary>
    private string? ForThisOs(ScriptMeta script, string name, IReadOnlyDictionary<string, string> env)
    {
        string Get(string key) => env.TryGetValue(script.EnvPrefix + key, out var v) ? v : "";
        var (flavor, like, type, platform) = (Get("HOST_OS_FLAVOR"), Get("HOST_OS_FLAVOR_LIKE"), Get("HOST_OS_TYPE"), Get("HOST_PLATFORM_FLAVOR"));
        var version = flavor.Length > 0 ? Get("HOST_OS_VERSION") : "";
        string[][] candidates =
        [
            [flavor, version, platform], [flavor, version], [flavor, platform], [flavor], [like, platform], [like], [type, platform], [type], [platform],
        ];
        foreach (var parts in candidates)
        {
            var suffix = string.Join('-', parts.Where(p => p.Length > 0));
            if (suffix.Length == 0) continue;
            var path = Path.Combine(script.Directory, $"{name}-{suffix}.sh");
            if (fileSystem.FileExists(path)) return path;
        }
        return null;
    }

    /// <param name="state">Written to tmp-state.json first, as CM does, for run scripts that read the state so far.</param>
    public async Task<Dictionary<string, string>> RunAsync(ScriptMeta script, string runScript, IReadOnlyDictionary<string, string> env,
        string workDir, bool quiet, CancellationToken ct, Newtonsoft.Json.Linq.JObject? state = null)
    {
        fileSystem.CreateDirectory(workDir);
        RunScriptProtocol.ClearOutputs(fileSystem, workDir);
        if (state is not null) fileSystem.WriteAllText(Path.Combine(workDir, RunScriptProtocol.InputStateFile), state.ToString());
        // Appended to: the step's log already holds what its preprocess hook printed (the executor starts it afresh).
        var logPath = Path.Combine(workDir, LogName);
        var processEnv = EnvRules.ForProcess(env, host.Variables, host.PathListSeparator);
        // Its own process group: cancelling, or cm's death, ends everything the script started, so nothing of a
        // stopped run can write into a folder the next run builds in (issue 17, item 2).
        var busyFile = Path.Combine(workDir, World.SessionWrapper.BusyFileName);
        var request = host.IsWindows
            ? new ProcessRequest("cmd.exe", ["/d", "/c", runScript], workDir, processEnv, logPath, !quiet)
            : new ProcessRequest("bash", [runScript], workDir, processEnv, logPath, !quiet, OwnProcessGroup: true, BusyFile: busyFile);
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(request, ct);
        }
        catch (ProcessCancelledException e)
        {
            throw new StepCancelledException(script.Alias, Path.GetFileName(runScript), e.ProcessGroup, e.CancellationToken);
        }
        finally
        {
            // What the script left running on purpose keeps its lock on the unlinked file and blocks nobody.
            try { fileSystem.DeleteFile(busyFile); }
            catch (IOException) { }
        }
        if (result.ExitCode != 0)
        {
            var lines = result.CombinedOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(12).ToList();
            throw new ScriptFailedException(script.Alias, runScript, result.ExitCode, logPath, lines);
        }
        return RunScriptProtocol.ReadEnv(fileSystem, workDir);
    }

    public Newtonsoft.Json.Linq.JObject ReadState(string workDir, string script) => RunScriptProtocol.ReadState(fileSystem, workDir, script);
}
