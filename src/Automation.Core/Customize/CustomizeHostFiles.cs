using System.Security.Cryptography;
using Automation.Core.Errors;

namespace Automation.Core.Customize;

/// <summary>
/// The Python half of the customize.py host is embedded in the engine (docs/customize-host.md) and written out once per
/// content hash to <c>&lt;root&gt;/&lt;sha&gt;/</c>, so that concurrent runs and different builds never share a
/// half-written or foreign copy.
/// </summary>
public static class CustomizeHostFiles
{
    public const string ResourcePrefix = "customize-host/";
    public const string EntryScript = "cm_customize_host.py";

    /// <summary>The folder holding the host's files (written now if needed).</summary>
    public static string Materialize(string root)
    {
        var assembly = typeof(CustomizeHostFiles).Assembly;
        var files = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Name: n[ResourcePrefix.Length..], Bytes: Read(assembly, n)))
            .ToList();
        if (!files.Any(f => f.Name == EntryScript))
            throw new AutomationException("this cm build does not contain the customize.py host (its embedded Python files are missing)",
                fix: "Rebuild cm from a complete checkout (src/Automation.Core/Customize/python).");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in files)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\n"));
            sha.AppendData(bytes);
        }
        var folder = Path.Combine(root, Convert.ToHexStringLower(sha.GetHashAndReset())[..16]);
        if (File.Exists(Path.Combine(folder, EntryScript))) return folder;

        var staging = $"{folder}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(staging, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, EntryScript)))
        {
            // Another run wrote the same content first.
            Directory.Delete(staging, recursive: true);
        }
        return folder;
    }

    private static byte[] Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
