using System.Text;

namespace Automation.Core.Files;

/// <summary>
/// The one way files are replaced in place: readers see the old file, the new one, or none, never a part. The content
/// goes to a temp file unique to this process and call (<c>&lt;path&gt;.tmp-&lt;pid&gt;-&lt;guid&gt;</c>, so concurrent writers never
/// share one) that is renamed over the target (rename is atomic within a folder); a failed write removes its temp file.
/// The folder must exist: creating it here could resurrect a folder another process just deleted (a cache entry's).
/// </summary>
public static class AtomicFile
{
    /// <summary>The temp files this class writes are named after their target followed by this marker.</summary>
    public const string TempMarker = ".tmp-";

    public static void WriteAllText(string path, string text)
    {
        using var file = Create(path);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
            writer.Write(text);
        file.Commit();
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>A copy of <paramref name="source"/> at <paramref name="path"/>, replacing what was there in one step.</summary>
    public static void Copy(string source, string path)
    {
        var temp = TempPath(path);
        try
        {
            File.Copy(source, temp);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A file to fill through <see cref="PendingFile.Stream"/>; it replaces <paramref name="path"/> on <see cref="PendingFile.Commit"/>, and is deleted when disposed without one.</summary>
    public static PendingFile Create(string path, int bufferSize = 1 << 16) => new(path, TempPath(path), bufferSize);

    /// <summary>Removes a file; a file already gone or not removable (permissions, a folder in its place) is not an error.</summary>
    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string TempPath(string path) => $"{path}{TempMarker}{Environment.ProcessId}-{Guid.NewGuid():N}";

    public sealed class PendingFile : IDisposable
    {
        private readonly string _path;
        private readonly string _temp;
        private bool _committed;

        internal PendingFile(string path, string temp, int bufferSize)
        {
            _path = path;
            _temp = temp;
            Stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);
        }

        public FileStream Stream { get; }

        /// <summary>Closes the stream and renames the file over the target.</summary>
        public void Commit()
        {
            Stream.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            Stream.Dispose();
            if (!_committed) TryDelete(_temp);
        }
    }
}
