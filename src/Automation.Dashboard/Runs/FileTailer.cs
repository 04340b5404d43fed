using System.Text;

namespace Automation.Dashboard.Runs;

/// <summary>Reads the lines appended to a file since the last call (the child writes; we poll).</summary>
public sealed class FileTailer(string path)
{
    private long offset;
    private string partial = "";

    public string Path { get; } = path;

    public IReadOnlyList<string> ReadNewLines(bool flushPartial = false)
    {
        var lines = new List<string>();
        try
        {
            if (!File.Exists(Path)) return lines;
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < offset) offset = 0; // truncated and rewritten
            stream.Seek(offset, SeekOrigin.Begin);
            var buffer = new byte[Math.Min(1 << 20, stream.Length - offset)];
            var read = stream.Read(buffer, 0, buffer.Length);
            offset += read;
            var text = partial + Encoding.UTF8.GetString(buffer, 0, read);
            var parts = text.Split('\n');
            partial = parts[^1];
            lines.AddRange(parts[..^1].Select(l => l.TrimEnd('\r')));
            if (flushPartial && partial.Length > 0) { lines.Add(partial); partial = ""; }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return lines;
    }
}
