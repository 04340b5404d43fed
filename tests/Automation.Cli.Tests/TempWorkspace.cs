namespace Automation.Cli.Tests;

/// <summary>A throwaway cm workspace: a .cm-workspace marker, scripts/ and cache/.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "cm-ws-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(Root, "scripts"));
        File.WriteAllText(Path.Combine(Root, ".cm-workspace"), "");
    }

    public string Root { get; }
    public string Cache => Path.Combine(Root, "cache");

    public string AddScript(string alias, string metaJson, string? runSh = null)
    {
        var dir = Path.Combine(Root, "scripts", alias);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "_cm.json"), metaJson);
        if (runSh is not null) File.WriteAllText(Path.Combine(dir, "run.sh"), "#!/bin/bash\nset -e\n" + runSh + "\n");
        return dir;
    }

    public CmResult Cm(params string[] args) => CmProcess.Run(Root, args);
    public CmResult Cm(IReadOnlyDictionary<string, string> env, params string[] args) => CmProcess.Run(Root, env, args);

    public int CountEntries() => Directory.Exists(Cache)
        ? Directory.EnumerateDirectories(Cache).Count(d => File.Exists(Path.Combine(d, "entry.json")))
        : 0;

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
