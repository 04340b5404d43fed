using Automation.Core.Errors;

namespace Automation.Core.Caching;

/// <summary>
/// An exclusive OS lock on a file (FileShare.None: flock on Unix, a share-mode lock on Windows). The OS drops it
/// when the process dies, so a crash never leaves a stale lock. Lock files are never deleted: deleting one while
/// another process waits on it would let two processes "hold" different inodes of the same path.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(250);

    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public string Path => _stream.Name;

    /// <summary>The lock now, or null when another holder has it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        var stream = TryOpen(path, out _);
        if (stream is null) return null;
        RecordOwner(path);
        return new FileLock(stream);
    }

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        var delay = FirstDelay;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stream = TryOpen(path, out var failure);
            if (stream is not null)
            {
                RecordOwner(path);
                return new FileLock(stream);
            }
            if (DateTime.UtcNow >= deadline) throw TimedOut(path, timeout, failure);
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>Synchronous callers (Remove, index writes) hold no synchronisation context, so blocking is safe.</summary>
    public static FileLock Acquire(string path, TimeSpan timeout) =>
        AcquireAsync(path, timeout, CancellationToken.None).GetAwaiter().GetResult();

    public void Dispose() => _stream.Dispose();

    private static FileStream? TryOpen(string path, out IOException? failure)
    {
        failure = null;
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var off) && off
            || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING")?.ToLowerInvariant() is "1" or "true")
            throw new AutomationException("File locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so the cache cannot be shared safely",
                file: path, fix: "Unset DOTNET_SYSTEM_IO_DISABLEFILELOCKING.");
        // A folder where the lock file belongs (or a file where its folder belongs) can never be locked: waiting out the
        // timeout would only hide it.
        if (Directory.Exists(path))
            throw Unusable(path, "is a folder, not a lock file", $"Remove the folder {path} (nothing uses it; cm creates the lock file itself).");
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        }
        catch (IOException e)
        {
            throw Unusable(path, $"cannot be created: {e.Message.TrimEnd('.')}", "Check that the cache's folders are folders and writable (a file in the way must go).", e);
        }
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            failure = e;
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw Unusable(path, $"cannot be opened: {e.Message.TrimEnd('.')}", "Check the permissions of the cache folder (cm needs to write its lock files there), or use another --cache-dir.", e);
        }
    }

    private static AutomationException Unusable(string path, string problem, string fix, Exception? inner = null) =>
        new($"the cache lock {path} {problem}", file: path, fix: fix, inner: inner);

    /// <summary>
    /// The holder's identity goes into a side file: the lock file itself cannot be read by others while held.
    /// Best effort, only for the timeout message.
    /// </summary>
    private static void RecordOwner(string path)
    {
        try { File.WriteAllText(OwnerPath(path), $"{Environment.ProcessId} {Environment.MachineName} {DateTime.UtcNow:O}"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string OwnerPath(string path) => path + ".owner";

    private static AutomationException TimedOut(string path, TimeSpan timeout, IOException? failure)
    {
        string holder;
        try
        {
            var parts = File.ReadAllText(OwnerPath(path)).Split(' ');
            holder = parts.Length >= 2 ? $" held by process {parts[0]} on {parts[1]}" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { holder = ""; }
        return new AutomationException(
            $"Timed out after {timeout} waiting for cache lock {path}{holder}", file: path,
            fix: "Another process is building or removing this cache entry: wait for it or stop it (its lock is released when it exits).",
            inner: failure);
    }
}
