using Automation.Core.Caching;
using Automation.Core.World;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Repos;

/// <summary>
/// The registered repositories, as CM keeps them: `$CM_REPOS/repos.json` (default `~/CM`), a JSON list of repository
/// folder paths in registration order; clones live in `$CM_REPOS/repos/&lt;owner&gt;@&lt;name&gt;`. A missing file
/// means no repositories; reading never creates anything.
/// </summary>
public sealed class RepoRegistry(IFileSystem fileSystem, string directory)
{
    public const string Variable = "CM_REPOS";
    public const string FileName = "repos.json";

    public string Directory { get; } = Path.GetFullPath(directory);
    public string File => Path.Combine(Directory, FileName);
    /// <summary>Where `cm pull repo` clones git repositories.</summary>
    public string ClonesDirectory => Path.Combine(Directory, "repos");

    /// <summary>CM_REPOS, or `~/CM` as CM has it.</summary>
    public static RepoRegistry ForHost(IFileSystem fileSystem, IHostEnvironment host) =>
        new(fileSystem, host.GetVariable(Variable) is { Length: > 0 } dir ? dir : Path.Combine(Home(host), "CM"));

    private static string Home(IHostEnvironment host) =>
        host.GetVariable(host.IsWindows ? "USERPROFILE" : "HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The registered repository folders in registration order.</summary>
    public IReadOnlyList<string> Paths()
    {
        if (!fileSystem.FileExists(File)) return [];
        var text = fileSystem.ReadAllText(File);
        JToken json;
        try
        {
            json = JToken.Parse(text.Length == 0 ? "[]" : text);
        }
        catch (JsonReaderException e)
        {
            throw Malformed($"it is not valid JSON ({e.Message})");
        }
        if (json is not JArray list || list.Any(t => t.Type != JTokenType.String)) throw Malformed("it is not a JSON list of folder paths");
        return list.Select(t => (string)t!).Where(p => p.Trim().Length > 0).Select(p => p.Trim()).ToList();
    }

    /// <summary>True when the folder is one `cm pull repo` cloned (so `cm rm repo --all` may delete it).</summary>
    public bool IsClone(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return string.Equals(Path.GetDirectoryName(full), Path.TrimEndingDirectorySeparator(ClonesDirectory), StringComparison.Ordinal);
    }

    /// <summary>Appends a folder (no-op when already registered); returns false when it was already there.</summary>
    public bool Add(string path) => Update(list =>
    {
        if (list.Contains(path, StringComparer.Ordinal)) return false;
        list.Add(path);
        return true;
    });

    /// <summary>Removes a folder; returns false when it was not registered.</summary>
    public bool Remove(string path) => Update(list => list.RemoveAll(p => p == path) > 0);

    private bool Update(Func<List<string>, bool> change)
    {
        fileSystem.CreateDirectory(Directory);
        using var held = FileLock.Acquire(File + ".lock", TimeSpan.FromSeconds(60));
        var list = Paths().ToList();
        if (!change(list)) return false;
        fileSystem.WriteAllTextAtomically(File, new JArray(list).ToString(Formatting.Indented) + "\n");
        return true;
    }

    private RepoException Malformed(string why) =>
        new($"the repository list {File} cannot be read: {why}", File,
            $"Fix it (a JSON list such as [\"/path/to/repo\"]) or delete it and pull the repositories again; {Variable} chooses another folder.");
}
