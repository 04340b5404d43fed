using Automation.Cli.Tests;
using Xunit;

namespace Automation.Core.Tests.Meta;

/// <summary>
/// The vendored MLC script library as a class fixture: its script/ folder, from the one extraction per test run that
/// <see cref="VendoredLibrary"/> makes (and removes at exit). Shared by the core and CLI tests.
/// </summary>
public sealed class MlcLibrary
{
    public const string TarballName = VendoredLibrary.Tarball;

    /// <summary>The library's script/ folder (one folder per script, each with meta.yaml).</summary>
    public string ScriptRoot { get; } = VendoredLibrary.Root is { } root ? Path.Combine(root, "script") : "";

    /// <summary>Every folder of the library that holds a meta.yaml, by name.</summary>
    public IReadOnlyList<string> MetaFolders => Directory.EnumerateDirectories(ScriptRoot)
        .Where(d => File.Exists(Path.Combine(d, "meta.yaml"))).Order(StringComparer.Ordinal).ToList();

    public static string? Unavailable => VendoredLibrary.Unavailable;
}

/// <summary>A fact that needs the vendored MLC library.</summary>
public sealed class MlcLibraryFactAttribute : FactAttribute
{
    public MlcLibraryFactAttribute()
    {
        if (MlcLibrary.Unavailable is { } why) Skip = why;
    }
}
