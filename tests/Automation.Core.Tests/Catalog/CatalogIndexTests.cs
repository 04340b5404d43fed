using Automation.Core.Catalog;
using Automation.Core.Meta;
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

    private readonly List<MetaWarning> warnings = [];

    private ScriptCatalog Load(params string[] roots) =>
        ScriptCatalog.Load(PhysicalFileSystem.Instance, roots.Length == 0 ? [Scripts] : roots, IndexFile, clock, warnings.Add);

    private string Yaml(string alias, string text, string name = ScriptLoader.MlcYamlMetaName)
    {
        var folder = Path.Combine(Scripts, alias);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        File.WriteAllText(file, text);
        File.SetLastWriteTimeUtc(file, Written);
        return file;
    }

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

    [Fact]
    public void AnUnreadableMetaIsSkippedWithOneWarningOnFullAndOnIndexedLoads()
    {
        Script("get-python3", "get,python3");
        var bad = Yaml("get-broken", "alias: get-broken\ntags: [get, broken\n");

        var full = Load();
        var indexed = Load();

        Assert.Equal(["get-python3"], full.Entries.Select(e => e.Alias));
        Assert.Equal(["get-python3"], indexed.Entries.Select(e => e.Alias));
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith($"{bad}:3:1: malformed YAML: ", w.ToString()));
        Assert.All(warnings, w => Assert.EndsWith("; the script is skipped", w.ToString()));
        Assert.Equal(warnings[0], warnings[1]);
        Assert.Contains("\nb\t", File.ReadAllText(IndexFile));
    }

    [Fact]
    public void AFixedMetaIsReadAgainAndNoLongerReported()
    {
        Yaml("get-broken", "alias: get-broken\ntags: [get, broken\n");
        Load();
        Yaml("get-broken", "alias: get-broken\ntags: [get, broken]\n");
        warnings.Clear();

        Assert.Single(Load().Find(TagQuery.Parse("broken")));
        Assert.Empty(warnings);
    }

    [Fact]
    public void MlcMetaYamlFoldersAreScriptsAndCmNamesComeFirst()
    {
        Yaml("get-mlc", "alias: get-mlc\nuid: u1\ntags: [get, mlc]\n");
        Yaml("get-both", "alias: get-both\nuid: u2\ntags: [from-yaml]\n");
        Yaml("get-both", """{"alias":"get-both","uid":"u2","tags":["from-json"]}""", ScriptLoader.JsonMetaName);
        Yaml("get-json", """{"alias":"get-json","uid":"u3","tags":["mlc-json"]}""", ScriptLoader.MlcJsonMetaName);

        var catalog = Load();

        Assert.Single(catalog.Find(TagQuery.Parse("get,mlc")));
        Assert.Equal(["from-json"], catalog.FindByAliasOrUid("get-both")!.Tags);
        Assert.Single(catalog.Find(TagQuery.Parse("mlc-json")));
        Assert.Single(Load().Find(TagQuery.Parse("get,mlc")));
    }

    [Fact]
    public void WhatAReadableMetaGetsWrongIsReportedOnceWhenTheScriptIsFirstUsed()
    {
        Yaml("get-a", "alias: get-a\ntags: [get, a]\ndeps:\n- names: [x]\n");
        Script("get-b", "get,b");

        var catalog = Load();
        Assert.Empty(warnings);
        catalog.FindByAliasOrUid("get-a");
        catalog.Find(TagQuery.Parse("get,a"));

        var w = Assert.Single(warnings, w => !w.VerboseOnly);
        Assert.Equal((4, 3), (w.Line, w.Column));
        Assert.Contains("has no 'tags'", w.Message);
    }
}
