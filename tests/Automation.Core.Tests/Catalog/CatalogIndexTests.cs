using Automation.Core.Catalog;
using Automation.Core.Tests.Actions;
using Automation.Core.Tests.Caching;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Catalog;

/// <summary>The catalog index on a real folder: used only when every meta is as recorded, rebuilt otherwise.</summary>
public sealed class CatalogIndexTests : IDisposable
{
    private static readonly DateTime Written = new(2026, 3, 1, 11, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory dir = new();
    private readonly FixedClock clock = new(new DateTimeOffset(Written.AddHours(1)));

    public void Dispose() => dir.Dispose();

    private string Scripts => dir["scripts"];
    private string IndexFile => dir["cache/.catalog-index"];

    private void Script(string alias, string tags, DateTime? at = null)
    {
        var folder = Path.Combine(Scripts, alias);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, ScriptLoader.JsonMetaName);
        File.WriteAllText(file, $$"""{"alias":"{{alias}}","uid":"{{alias}}-uid","tags":[{{string.Join(',', tags.Split(',').Select(t => $"\"{t}\""))}}]}""");
        File.SetLastWriteTimeUtc(file, at ?? Written);
    }

    private ScriptCatalog Load(params string[] roots) =>
        ScriptCatalog.Load(PhysicalFileSystem.Instance, roots.Length == 0 ? [Scripts] : roots, IndexFile, clock);

    /// <summary>Replaces a meta with unparsable text of the same size and time: only a reader that skips the file survives it.</summary>
    private void CorruptKeepingStamp(string alias)
    {
        var file = Path.Combine(Scripts, alias, ScriptLoader.JsonMetaName);
        var stamp = PhysicalFileSystem.Instance.Stat(file)!.Value;
        File.WriteAllText(file, new string('x', (int)stamp.Length));
        File.SetLastWriteTimeUtc(file, new DateTime(stamp.LastWriteTicksUtc, DateTimeKind.Utc));
    }

    [Fact]
    public void AFreshIndexAnswersLookupsWithoutParsingOtherMetas()
    {
        Script("get-python3", "get,python3"); Script("get-git", "get,git");
        Assert.Single(Load().Find(TagQuery.Parse("get,python3")));
        Assert.True(File.Exists(IndexFile));

        CorruptKeepingStamp("get-git");
        var catalog = Load();

        Assert.Equal("get-python3", Assert.Single(catalog.Find(TagQuery.Parse("get,python3"))).Alias);
        Assert.Equal(["get-git", "get-python3"], catalog.Entries.Select(e => e.Alias));
        Assert.ThrowsAny<Exception>(() => catalog.FindByAliasOrUid("get-git"));
    }

    [Fact]
    public void AnEditedMetaIsReadAgain()
    {
        Script("get-python3", "get,python3");
        Load();
        Script("get-python3", "get,python3,python", Written.AddMinutes(1));

        Assert.Single(Load().Find(TagQuery.Parse("python")));
    }

    [Fact]
    public void AnEditKeepingTheTimeButNotTheSizeIsReadAgain()
    {
        Script("get-python3", "get,python3");
        Load();
        Script("get-python3", "get,python3,python");

        Assert.Single(Load().Find(TagQuery.Parse("python")));
    }

    [Fact]
    public void NewAndRemovedScriptFoldersAreSeen()
    {
        Script("get-python3", "get,python3");
        Load();
        Script("get-git", "get,git");
        Assert.Single(Load().Find(TagQuery.Parse("git")));

        Directory.Delete(Path.Combine(Scripts, "get-git"), recursive: true);
        Assert.Empty(Load().Find(TagQuery.Parse("git")));
    }

    [Fact]
    public void AMetaWrittenJustNowIsNotIndexed()
    {
        Script("get-python3", "get,python3", clock.UtcNow.UtcDateTime.AddSeconds(-1));
        Load();
        Assert.False(File.Exists(IndexFile));
    }

    [Fact]
    public void ADamagedIndexOrOtherRootsMeanAFullLoad()
    {
        Script("get-python3", "get,python3");
        Load();
        File.WriteAllText(IndexFile, "cm-catalog-index 1\nroots\tsomewhere\nd\tbroken");
        Assert.Single(Load().Find(TagQuery.Parse("python3")));

        var user = dir["user-scripts"];
        Directory.CreateDirectory(Path.Combine(user, "get-python3"));
        File.WriteAllText(Path.Combine(user, "get-python3", ScriptLoader.JsonMetaName), """{"alias":"get-python3","uid":"mine","tags":["get","python3","mine"]}""");
        File.SetLastWriteTimeUtc(Path.Combine(user, "get-python3", ScriptLoader.JsonMetaName), Written);
        var shadowed = Load(user, Scripts);

        Assert.Equal("mine", Assert.Single(shadowed.Find(TagQuery.Parse("get,python3"))).Uid);
        Assert.Equal("mine", Assert.Single(Load(user, Scripts).Find(TagQuery.Parse("get,python3"))).Uid);
    }
}
