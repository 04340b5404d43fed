namespace Automation.Core.World;

/// <summary>The process environment and host facts the engine depends on.</summary>
public interface IHostEnvironment
{
    string? GetVariable(string name);
    IReadOnlyDictionary<string, string> Variables { get; }
    string CurrentDirectory { get; }
    bool IsWindows { get; }
    char PathListSeparator { get; }
}

public sealed class ProcessHostEnvironment : IHostEnvironment
{
    public static ProcessHostEnvironment Instance { get; } = new();

    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    public IReadOnlyDictionary<string, string> Variables
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                result[(string)e.Key] = e.Value as string ?? "";
            return result;
        }
    }

    public string CurrentDirectory => Environment.CurrentDirectory;
    public bool IsWindows => OperatingSystem.IsWindows();
    public char PathListSeparator => Path.PathSeparator;
}
