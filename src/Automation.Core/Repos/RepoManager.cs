using Automation.Core.Caching;
using Automation.Core.Files;
using Automation.Core.World;

namespace Automation.Core.Repos;

/// <summary>What `cm pull repo` did.</summary>
public enum PullAction { Registered, AlreadyRegistered, Cloned, Updated }

public sealed record PullOutcome(RepoFolder Repo, PullAction Action);

/// <summary>One registered repository as `cm list repo` shows it; Repo is null when its folder is gone.</summary>
public sealed record RegisteredRepo(string Path, RepoFolder? Repo, bool IsClone);

/// <summary>
/// `cm pull repo`, `cm rm repo`, `cm list repo`: registers local folders in place, clones git URLs into
/// $CM_REPOS/repos/ (git through <see cref="IProcessRunner"/>, never a shell line), and unregisters. A folder cm did
/// not clone is never deleted.
/// </summary>
public sealed class RepoManager(RepoRegistry registry, IFileSystem fileSystem, IProcessRunner processes, IHostEnvironment host)
{
    private readonly RepoReader reader = new(fileSystem);

    public IReadOnlyList<RegisteredRepo> List() =>
        registry.Paths().Select(p => new RegisteredRepo(p, TryDescribe(p), registry.IsClone(p))).ToList();

    public PullOutcome Pull(string what, Action<string>? progress = null)
    {
        var source = RepoSource.Parse(what, fileSystem, host.CurrentDirectory);
        return source.Kind == RepoSourceKind.LocalFolder ? RegisterInPlace(source.Location) : PullGit(source, progress ?? (_ => { }));
    }

    private PullOutcome RegisterInPlace(string folder)
    {
        var repo = reader.Describe(folder) ?? throw new RepoException(
            $"the folder '{folder}' is not a script repository: it has no cmr.yaml (CM) or meta.yaml (MLC) at the top and no script folders in it or in script/",
            fix: "Give the repository's top folder, or a folder whose subfolders hold _cm.json, _cm.yaml or meta.yaml.");
        if (registry.Paths().Contains(repo.Path, StringComparer.Ordinal)) return new PullOutcome(repo, PullAction.AlreadyRegistered);
        RefuseSecondAlias(repo);
        registry.Add(repo.Path);
        return new PullOutcome(repo, PullAction.Registered);
    }

    private PullOutcome PullGit(RepoSource source, Action<string> progress)
    {
        var target = Path.Combine(registry.ClonesDirectory, source.FolderName);
        if (fileSystem.DirectoryExists(target))
        {
            if (!fileSystem.DirectoryExists(Path.Combine(target, ".git")) && !fileSystem.FileExists(Path.Combine(target, ".git")))
                throw new RepoException($"'{target}' already exists and is not a git checkout, so '{source.Location}' cannot be cloned there",
                    fix: $"Move or delete that folder, or register it in place with `cm pull repo {target}`.");
            progress($"updating {target} (git pull --ff-only)");
            Git(["-C", target, "pull", "--ff-only"], source.Location, $"update of {target}");
            var updated = Describe(target, source.Location);
            if (!registry.Paths().Contains(updated.Path, StringComparer.Ordinal))
            {
                RefuseSecondAlias(updated);
                registry.Add(updated.Path);
            }
            return new PullOutcome(updated, PullAction.Updated);
        }

        fileSystem.CreateDirectory(registry.ClonesDirectory);
        progress($"cloning {source.Location} into {target}");
        try
        {
            Git(["clone", "--", source.Location, target], source.Location, "clone");
            var repo = Describe(target, source.Location);
            RefuseSecondAlias(repo);
            registry.Add(repo.Path);
            return new PullOutcome(repo, PullAction.Cloned);
        }
        catch
        {
            // Nothing half-made stays behind: the next pull starts clean.
            FolderTree.Delete(target);
            throw;
        }
    }

    /// <summary>Unregisters the repository named by alias, uid, folder name or path; with deleteClone, deletes the folder when cm cloned it.</summary>
    public (RegisteredRepo Removed, bool Deleted) Remove(string name, bool deleteClone)
    {
        var registered = List();
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(name, host.CurrentDirectory));
        var matches = registered.Where(r => r.Path == full || r.Repo?.Alias == name || r.Repo?.Uid == name || Path.GetFileName(r.Path) == name).ToList();
        if (matches.Count == 0)
            throw new RepoException($"no registered repository is called '{name}'",
                registry.File, registered.Count == 0 ? "No repository is registered; `cm pull repo` registers one."
                    : $"Registered: {string.Join(", ", registered.Select(r => r.Repo?.Alias ?? r.Path))}. `cm list repo` shows them with their folders.");
        if (matches.Count > 1)
            throw new RepoException($"'{name}' names {matches.Count} registered repositories ({string.Join(", ", matches.Select(m => m.Path))})",
                registry.File, "Give the folder of the one to remove.");
        var removed = matches[0];
        registry.Remove(removed.Path);
        var delete = deleteClone && removed.IsClone && fileSystem.DirectoryExists(removed.Path);
        if (delete) FolderTree.Delete(removed.Path);
        return (removed, delete);
    }

    private RepoFolder? TryDescribe(string path)
    {
        try
        {
            return reader.Describe(path);
        }
        catch (RepoException)
        {
            return null;
        }
    }

    private RepoFolder Describe(string clone, string url) => reader.Describe(clone) ?? throw new RepoException(
        $"'{url}' holds no scripts: no cmr.yaml (CM) or meta.yaml (MLC) at the top and no script folders",
        fix: "Check the URL: a script repository has script/<alias>/ folders with _cm.yaml, _cm.json or meta.yaml.");

    /// <summary>Two registered repositories with one alias would make `alias:script` ambiguous.</summary>
    private void RefuseSecondAlias(RepoFolder repo)
    {
        var other = List().FirstOrDefault(r => r.Repo is { } o && o.Alias == repo.Alias && r.Path != repo.Path);
        if (other is not null)
            throw new RepoException($"a repository called '{repo.Alias}' is already registered from '{other.Path}', so '{repo.Path}' is not registered",
                registry.File, $"Remove the other one first with `cm rm repo {other.Path}`, or keep using it.");
    }

    private void Git(IReadOnlyList<string> args, string url, string what)
    {
        // No credential prompt: a wrong or private URL fails at once instead of waiting for a password.
        var result = processes.RunAsync(new ProcessRequest("git", args,
            Environment: new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_ASKPASS"] = "", ["SSH_ASKPASS"] = "" })).GetAwaiter().GetResult();
        if (result.ExitCode == 0) return;
        if (result.ExitCode == 127)
            throw new RepoException($"git is needed to pull '{url}' but cannot be started ({result.StandardError.Trim()})",
                fix: "Install git, or register a local folder with `cm pull repo /path/to/folder`.");
        var said = string.Join(" ", result.CombinedOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Cloning into", StringComparison.Ordinal)).TakeLast(3));
        throw new RepoException($"git {what} of '{url}' failed (exit {result.ExitCode}): {said}",
            fix: "Check the URL and your network (and credentials for a private repository). Offline, register a local folder " +
                 "(`cm pull repo /path/to/library`) or clone a file:// URL instead.");
    }
}
