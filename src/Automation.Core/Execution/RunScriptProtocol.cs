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

    public static Dictionary<string, string> ReadEnv(IFileSystem fileSystem, string workDir)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(workDir, EnvFile);
        if (!fileSystem.FileExists(path)) return result;
        foreach (var raw in fileSystem.ReadAllText(path).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            result[line[..eq].Trim()] = value;
        }
        return result;
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
