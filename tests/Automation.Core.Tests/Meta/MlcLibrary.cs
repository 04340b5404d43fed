using System.Formats.Tar;
using System.IO.Compression;
using Xunit;

namespace Automation.Core.Tests.Meta;

/// <summary>
/// The vendored MLC script library (mlperf-automations 20d3d94, ../shared/vendor), extracted once per test run into a
/// temp folder that is removed afterwards. Shared by the core and CLI tests.
/// </summary>
public sealed class MlcLibrary : IDisposable
{
    public const string TarballName = "mlperf-automations-20d3d94-script.tar.gz";
    private readonly string extracted;

    public MlcLibrary()
    {
        extracted = Path.Combine(Path.GetTempPath(), "cm-mlc-lib-" + Guid.NewGuid().ToString("N")[..10]);
        if (Tarball is not { } tarball) return;
        Directory.CreateDirectory(extracted);
        using var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        TarFile.ExtractToDirectory(gz, extracted, overwriteFiles: false);
        ScriptRoot = Path.Combine(extracted, "mlperf-automations-20d3d94", "script");
    }

    /// <summary>The library's script/ folder (one folder per script, each with meta.yaml).</summary>
    public string ScriptRoot { get; } = "";

    /// <summary>Every folder of the library that holds a meta.yaml, by name.</summary>
    public IReadOnlyList<string> MetaFolders => Directory.EnumerateDirectories(ScriptRoot)
        .Where(d => File.Exists(Path.Combine(d, "meta.yaml"))).Order(StringComparer.Ordinal).ToList();

    public static string? Tarball
    {
        get
        {
            for (var d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
                if (File.Exists(Path.Combine(d, "Automation.sln")))
                {
                    var path = Path.GetFullPath(Path.Combine(d, "..", "shared", "vendor", TarballName));
                    return File.Exists(path) ? path : null;
                }
            return null;
        }
    }

    public static string? Unavailable => Tarball is null ? $"the vendored library ../shared/vendor/{TarballName} is not next to this checkout" : null;

    public void Dispose()
    {
        try { if (Directory.Exists(extracted)) Directory.Delete(extracted, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fact that needs the vendored MLC library.</summary>
public sealed class MlcLibraryFactAttribute : FactAttribute
{
    public MlcLibraryFactAttribute()
    {
        if (MlcLibrary.Unavailable is { } why) Skip = why;
    }
}
