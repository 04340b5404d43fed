namespace Automation.Core.Caching;

public sealed record CacheStoreOptions
{
    public static CacheStoreOptions Default { get; } = new();

    /// <summary>How long to wait for another process building the same entry; builds may download gigabytes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a build waits for the processes of a killed build of the same entry to end (their watcher
    /// ends them within seconds; longer means one left its process group and still holds the folder).</summary>
    public TimeSpan LeftoverProcessTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The index lock is held only for an append, so a long wait means something is wrong.</summary>
    public TimeSpan IndexLockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Hash every recorded file of an entry (and of the entries it was built on) before reusing it, not
    /// just compare sizes and times (`cm run script --verify`).</summary>
    public bool VerifyOnReuse { get; init; }

    /// <summary>Told when an entry is dropped because it was changed after its commit or cannot be read.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>The journal is rewritten once it has this many more lines than twice the live entries.</summary>
    internal int CompactionSlack { get; init; } = 1000;

    /// <summary>Every folder scan goes through here, so tests can prove lookups never scan.</summary>
    internal Func<string, IEnumerable<string>> ListFolders { get; init; } = Directory.EnumerateDirectories;
}
