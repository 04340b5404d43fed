using System.Formats.Tar;
using System.IO.Compression;

namespace Automation.Cli.Tests;

/// <summary>
/// The MLC script library (mlperf-automations, 372 script folders, `meta.yaml`, `MLC_*` env) from the vendored
/// tarball in ../shared/vendor, extracted once per test run into a temp folder that is never written to afterwards.
/// </summary>
public static class VendoredLibrary
{
    public const string Tarball = "mlperf-automations-20d3d94-script.tar.gz";
    public const string Alias = "mlcommons@mlperf-automations";

    private static readonly Lazy<string?> Extracted = new(Extract);

    public static string TarballPath => Path.Combine(RepoPaths.SharedVendor, Tarball);

    /// <summary>The library's top folder (meta.yaml, script/); null when the tarball is not there.</summary>
    public static string? Root => Extracted.Value;

    /// <summary>Why library tests are skipped here, or null when the library is available.</summary>
    public static string? Unavailable => File.Exists(TarballPath) ? null : $"the vendored MLC library {TarballPath} is not on this machine.";

    private static string? Extract()
    {
        if (!File.Exists(TarballPath)) return null;
        var target = Directory.CreateTempSubdirectory("cm-mlc-library-").FullName;
        using (var file = File.OpenRead(TarballPath))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            TarFile.ExtractToDirectory(gzip, target, overwriteFiles: false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(target, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return Directory.EnumerateDirectories(target).Single();
    }
}

/// <summary>A fact that needs the vendored MLC library; skipped with the reason where the tarball is absent.</summary>
public sealed class WithLibraryFactAttribute : Xunit.FactAttribute
{
    public WithLibraryFactAttribute()
    {
        if (VendoredLibrary.Unavailable is { } why) Skip = why;
    }
}
