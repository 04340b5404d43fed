using System.Text.RegularExpressions;
using Automation.Core.World;

namespace Automation.Core.Repos;

public enum RepoSourceKind
{
    /// <summary>A folder on this machine, registered where it is (never copied, never deleted by cm).</summary>
    LocalFolder,
    /// <summary>A git URL (https, ssh, file://, or owner@name for GitHub), cloned into $CM_REPOS/repos/&lt;FolderName&gt;.</summary>
    Git,
}

/// <summary>What `cm pull repo X` was given: a local folder, or a git URL with the folder name its clone gets.</summary>
public sealed partial record RepoSource(RepoSourceKind Kind, string Location, string FolderName)
{
    public static RepoSource Parse(string text, IFileSystem fileSystem, string currentDirectory)
    {
        var value = text.Trim();
        if (value.Length == 0 || value.StartsWith('-'))
            throw Unrecognised(text);
        if (!value.Contains("://", StringComparison.Ordinal) && fileSystem.DirectoryExists(Path.GetFullPath(value, currentDirectory)))
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(value, currentDirectory));
            return new RepoSource(RepoSourceKind.LocalFolder, full, Path.GetFileName(full));
        }
        if (OwnerAtName().Match(value) is { Success: true } short_)
            return new RepoSource(RepoSourceKind.Git, $"https://github.com/{short_.Groups[1].Value}/{short_.Groups[2].Value}.git", value);
        if (value.StartsWith("file://", StringComparison.Ordinal))
        {
            var local = Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri.LocalPath : value["file://".Length..];
            if (!fileSystem.DirectoryExists(local))
                throw new RepoException($"the git URL '{text}' names the folder '{local}', which does not exist",
                    fix: "Give the folder of a git repository (file:///path/to/repo), or the folder itself to register it in place.");
            return new RepoSource(RepoSourceKind.Git, value, CloneName(local));
        }
        if (GitHub().Match(value) is { Success: true } gh)
            return new RepoSource(RepoSourceKind.Git, value, $"{gh.Groups[1].Value}@{gh.Groups[2].Value}");
        if (value.Contains("://", StringComparison.Ordinal) || ScpLike().IsMatch(value))
            return new RepoSource(RepoSourceKind.Git, value, CloneName(value));
        throw Unrecognised(text);
    }

    /// <summary>The last path segment without `.git`: the folder name MLCFlow gives a non-GitHub clone.</summary>
    private static string CloneName(string location)
    {
        var last = location.TrimEnd('/', '\\').Split('/', '\\', ':').Last();
        var name = last.EndsWith(".git", StringComparison.Ordinal) ? last[..^4] : last;
        return name.Length == 0 || name is "." or ".." ? "repo" : name;
    }

    private static RepoException Unrecognised(string text) =>
        new($"'{text}' is not a folder, a git URL or a GitHub owner@name",
            fix: "Give a local folder (registered in place), a git URL (https://..., git@host:path, file:///path), or owner@name for https://github.com/owner/name.");

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9_.-]*)@([A-Za-z0-9_.-]+)$")]
    private static partial Regex OwnerAtName();

    [GeneratedRegex(@"^(?:https?://|git@|ssh://git@)(?:www\.)?github\.com[/:]([^/]+)/([^/]+?)(?:\.git)?/?$")]
    private static partial Regex GitHub();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:.+")]
    private static partial Regex ScpLike();
}
