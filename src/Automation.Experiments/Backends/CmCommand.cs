using Automation.Experiments.Templates;

namespace Automation.Experiments.Backends;

/// <summary>How to start the cm binary for a point: the native executable, or <c>dotnet cm.dll</c> under the JIT host.</summary>
public sealed record CmCommand(string FileName, IReadOnlyList<string> PrefixArgs)
{
    /// <summary>The binary running now, so every point runs the same cm as the experiment (Environment.ProcessPath).</summary>
    public static CmCommand Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running cm binary is unknown");
        var name = Path.GetFileNameWithoutExtension(process);
        return name.Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? ForDll(Path.Combine(AppContext.BaseDirectory, "cm.dll"))
            : new CmCommand(process, []);
    }

    public static CmCommand ForDll(string dll) => new("dotnet", [Path.GetFullPath(dll)]);

    public IReadOnlyList<string> Arguments(IEnumerable<string> args) => [.. PrefixArgs, .. args];

    /// <summary>The command as one POSIX shell line (for job scripts, the table and logs).</summary>
    public string ShellLine(IEnumerable<string> args) => string.Join(' ', new[] { FileName }.Concat(Arguments(args)).Select(StrictTemplate.ShellQuote));
}
