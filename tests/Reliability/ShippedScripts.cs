using Automation.Cli.Tests;

namespace Automation.Reliability.Tests;

/// <summary>The scripts this repository ships (scripts/), for tests that run them as they are.</summary>
public static class ShippedScripts
{
    public static string Folder => Path.Combine(RepoPaths.Root, "scripts");

    /// <summary>Copies one shipped script folder into a temporary workspace's scripts/.</summary>
    public static void CopyInto(TempWorkspace ws, string alias)
    {
        var from = Path.Combine(Folder, alias);
        var to = Path.Combine(ws.Root, "scripts", alias);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
