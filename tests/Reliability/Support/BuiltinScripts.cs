using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Automation.Cli.Tests;

namespace Automation.Reliability.Tests.Support;

/// <summary>Runs the real cm in a throwaway workspace that sees the repository's built-in scripts (download-file, extract-file, ...).</summary>
public static class BuiltinScripts
{
    public static IReadOnlyDictionary<string, string> Env => new Dictionary<string, string>
    {
        ["CM_SCRIPT_PATH"] = Path.Combine(RepoPaths.Root, "scripts"),
    };

    public static CmResult RunCm(this TempWorkspace ws, params string[] args) => ws.Cm(Env, [.. args, "--quiet", "-j"]);

    /// <summary>A tar.gz of <paramref name="files"/> (name → text) written with .NET's writers.</summary>
    public static byte[] TarGz(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, text) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        }
        return buffer.ToArray();
    }

    /// <summary>Every folder under the workspace whose name says it is an extraction's staging folder.</summary>
    public static IEnumerable<string> StagingFolders(string root) =>
        Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Where(d => Path.GetFileName(d).Contains(".extracting-", StringComparison.Ordinal));
}
