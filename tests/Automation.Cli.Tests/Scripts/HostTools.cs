using System.Collections.Concurrent;
using Automation.Core.Tests.Detection;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>PATHs for fixture tests: the fixture's fake tools first, then the host's tools minus the ones a test must not see.</summary>
public static class HostTools
{
    public static readonly string[] PackageManagers = ["apt-get", "dnf", "yum", "zypper", "pacman", "apk", "brew"];

    private static readonly string[] SystemFolders = ["/usr/local/bin", "/usr/bin", "/usr/sbin"];

    private static readonly string SharedRoot = Path.Combine(Path.GetTempPath(), $"cm-host-tools-{Environment.ProcessId}");
    private static readonly ConcurrentDictionary<string, Lazy<string>> Folders = new(StringComparer.Ordinal);

    static HostTools() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(SharedRoot, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    };

    /// <summary>
    /// A folder of links to every program in the host's system folders except <paramref name="hidden"/> (a trailing
    /// '*' hides a prefix), so run scripts still find bash, uname, grep… while detection cannot see (say) cmake.
    /// Built once per hidden set and shared by the tests of this process (read-only).
    /// </summary>
    public static string Without(params string[] hidden) =>
        Folders.GetOrAdd(string.Join(',', hidden.Order(StringComparer.Ordinal)), key => new Lazy<string>(() => Build(key, hidden))).Value;

    private static string Build(string key, string[] hidden)
    {
        var folder = Path.Combine(SharedRoot, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..12]);
        Directory.CreateDirectory(folder);
        foreach (var source in SystemFolders.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFileSystemEntries(source))
            {
                var name = Path.GetFileName(file);
                var link = Path.Combine(folder, name);
                if (hidden.Any(h => h.EndsWith('*') ? name.StartsWith(h[..^1], StringComparison.Ordinal) : name == h) || Path.Exists(link)) continue;
                File.CreateSymbolicLink(link, file);
            }
        return folder;
    }

    /// <summary>fx's PATH folders, then the host tools without <paramref name="hidden"/>.</summary>
    public static string PathWithout(FakeToolFixture fx, params string[] hidden) =>
        string.Join(Path.PathSeparator, new[] { fx.PathEnv, Without(hidden) }.Where(p => p.Length > 0));

    public static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";
}

/// <summary>A fact that runs only where one of the tools is on the host PATH; elsewhere it is skipped with a message.</summary>
public sealed class WithToolFactAttribute : FactAttribute
{
    public WithToolFactAttribute(params string[] anyOf)
    {
        if (!anyOf.Any(HostTools.Exists)) Skip = $"{anyOf[0]} is not installed on this machine, so its real detection is not tested here.";
    }
}

/// <summary>A fact for real package installs: needs root and apt-get (CI runs as root on Debian).</summary>
public sealed class RootAptFactAttribute : FactAttribute
{
    public RootAptFactAttribute()
    {
        if (!HostTools.IsRoot || !HostTools.Exists("apt-get")) Skip = "needs root and apt-get (a real package install).";
    }
}
