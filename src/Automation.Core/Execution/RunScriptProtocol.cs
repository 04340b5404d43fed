using Automation.Core.Errors;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>CM's contract with run scripts: results come back in tmp-run-env.out (KEY=VALUE) and tmp-run-state.json.</summary>
public static class RunScriptProtocol
{
    public const string EnvFile = "tmp-run-env.out";
    public const string StateFile = "tmp-run-state.json";
    /// <summary>The state so far, written for the run script to read (CM's tmp-state.json).</summary>
    public const string InputStateFile = "tmp-state.json";

    /// <summary>What the run script wrote to tmp-run-env.out (<see cref="EnvFile"/>); empty when it wrote none.</summary>
    public static Dictionary<string, string> ReadEnv(IFileSystem fileSystem, string workDir)
    {
        var path = Path.Combine(workDir, EnvFile);
        return fileSystem.FileExists(path) ? Env.EnvFile.Parse(fileSystem.ReadAllText(path)) : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public static JObject ReadState(IFileSystem fileSystem, string workDir, string script)
    {
        var path = Path.Combine(workDir, StateFile);
        if (!fileSystem.FileExists(path)) return new JObject();
        try
        {
            return JObject.Parse(fileSystem.ReadAllText(path));
        }
        catch (Newtonsoft.Json.JsonReaderException e)
        {
            throw new AutomationException($"the run script wrote malformed JSON to {StateFile} (line {e.LineNumber}, column {e.LinePosition})", path, script,
                "Make the run script write a JSON object to tmp-run-state.json, or none at all.");
        }
    }

    public static void ClearOutputs(IFileSystem fileSystem, string workDir)
    {
        fileSystem.DeleteFile(Path.Combine(workDir, EnvFile));
        fileSystem.DeleteFile(Path.Combine(workDir, StateFile));
    }
}
