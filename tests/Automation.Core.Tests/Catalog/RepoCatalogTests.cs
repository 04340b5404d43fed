using Automation.Core.Catalog;
using Automation.Core.Repos;
using Automation.Core.Tests.Caching;
using Automation.Core.Tests.Repos;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Catalog;

/// <summary>Several repositories in one catalog: precedence, shadowing, `repo:alias` qualifiers, prefixes, the index.</summary>
public sealed class RepoCatalogTests : IDisposable
{
    private readonly RepoFixture fx = new();
    private readonly FixedClock clock = new(DateTimeOffset.UtcNow.AddHours(1));
    private readonly RepoReader reader = new(PhysicalFileSystem.Instance);

    public void Dispose() => fx.Dispose();

    private string IndexFile => fx["cache/.catalog-index"];

    /// <summary>A library (MLC) with detect-os and get-cuda; our scripts with detect-os and get-python3.</summary>
    private List<ScriptRoot> LibraryAndBuiltin()
    {
        var lib = reader.Describe(fx.Mlc("lib", "mlcommons@mlperf-automations", "detect-os=detect-os,detect,os", "get-cuda=get,cuda"))!;
        var ours = fx.Plain("ws/scripts", "detect-os=detect-os,detect,os", "get-python3=get,python3,python");
        return [lib.ToRoot(RootSource.Registered), ScriptRoot.Builtin(ours)];
    }

    private readonly List<Automation.Core.Meta.MetaWarning> warnings = [];

    private ScriptCatalog Load(IEnumerable<ScriptRoot> roots) => ScriptCatalog.Load(PhysicalFileSystem.Instance, roots, IndexFile, clock, warnings.Add);

    [Fact]
    public void ALibraryScriptShadowsTheBuiltinOneOfTheSameAliasWhichStaysReachableQualified()
    {
        var catalog = Load(LibraryAndBuiltin());
        Assert.Equal("mlcommons@mlperf-automations", catalog.FindByAliasOrUid("detect-os")!.Repo);
        var builtin = catalog.FindByAliasOrUid("builtin:detect-os")!;
        Assert.Equal(ScriptRoot.BuiltinRepo, builtin.Repo);
        Assert.Equal(fx["ws/scripts/detect-os"], builtin.Directory);
        Assert.Equal("mlcommons@mlperf-automations", catalog.FindByAliasOrUid("mlcommons@mlperf-automations:detect-os")!.Repo);
        Assert.Null(catalog.FindByAliasOrUid("builtin:get-cuda"));
        Assert.Null(catalog.FindByAliasOrUid("nosuchrepo:detect-os"));
    }

    [Fact]
    public void TagLookupsSeeOnlyTheWinnerAndMatchesComeInPrecedenceOrderWithBuiltinsLast()
    {
        var catalog = Load(LibraryAndBuiltin());
        Assert.Equal("mlcommons@mlperf-automations", Assert.Single(catalog.Find(TagQuery.Parse("detect,os"))).Repo);
        Assert.Equal(["get-cuda", "get-python3"], catalog.Find(TagQuery.Parse("get")).Select(m => m.Alias));
        var both = catalog.FindEntries(TagQuery.Parse("detect,os"), includeShadowed: true);
        Assert.Equal(["mlcommons@mlperf-automations", "builtin"], both.Select(e => e.Repo));
        Assert.Null(catalog.ShadowedBy(both[0]));
        Assert.Equal("mlcommons@mlperf-automations:detect-os", catalog.ShadowedBy(both[1])!.QualifiedName);
        Assert.Equal("builtin:detect-os", both[1].QualifiedName);
    }

    [Fact]
    public void EachScriptCarriesItsRepositoryPrefixAndRepoPaths()
    {
        var catalog = Load(LibraryAndBuiltin());
        var mlc = catalog.FindByAliasOrUid("get-cuda")!;
        Assert.Equal("MLC_", mlc.EnvPrefix);
        Assert.Equal(fx["lib"], mlc.RepoPath);
        Assert.Equal(fx["lib"], mlc.RepoPathWithPrefix);
        var ours = catalog.FindByAliasOrUid("get-python3")!;
        Assert.Equal("CM_", ours.EnvPrefix);
        Assert.Equal(fx["ws"], ours.RepoPath);
    }

    [Fact]
    public void APlainRootTakesThePrefixFromEachScriptsMetaFormat()
    {
        var mixed = fx.Plain("mixed", "cm-style");
        var mlcStyle = Path.Combine(mixed, "mlc-style");
        Directory.CreateDirectory(mlcStyle);
        File.WriteAllText(Path.Combine(mlcStyle, "meta.yaml"), "alias: mlc-style\nuid: 0123456789abcdef\ntags: [mlc, style]\n");
        var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [mixed]);
        Assert.Equal("CM_", catalog.FindByAliasOrUid("cm-style")!.EnvPrefix);
        Assert.Equal("MLC_", catalog.FindByAliasOrUid("mlc-style")!.EnvPrefix);
        Assert.Equal("mixed", catalog.FindByAliasOrUid("mixed:mlc-style")!.Repo);
    }

    [Fact]
    public void TheIndexKeepsRepositoriesAndShadowingAndIsStaleWhenARepositoryIsRenamed()
    {
        var roots = LibraryAndBuiltin();
        Age();
        Load(roots);
        Assert.True(File.Exists(IndexFile));
        // Served from the index, nothing but the plan's metas is parsed: garbage of the same size and time goes unnoticed.
        CorruptKeepingStamp(fx["lib/script/get-cuda/meta.yaml"]);
        var indexed = Load(roots);
        Assert.Equal("builtin:detect-os", indexed.FindEntries(TagQuery.Parse("detect,os"), includeShadowed: true)[1].QualifiedName);
        Assert.Equal("builtin", indexed.FindByAliasOrUid("builtin:detect-os")!.Repo);

        var renamed = roots.Select(r => r.Source == RootSource.Registered ? r with { Repo = "renamed" } : r).ToList();
        var reloaded = Load(renamed);
        Assert.Equal("renamed", reloaded.FindEntry("detect-os")!.Repo);
    }

    [Fact]
    public void AnUnreadableMetaIsLeftOutNamedOnEachLoadAndTheIndexStaysUsable()
    {
        var roots = LibraryAndBuiltin();
        File.WriteAllText(fx["lib/script/get-cuda/meta.yaml"], "alias: get-cuda\ntags: [unclosed\n");
        Age();
        var first = Load(roots);
        Assert.Null(first.FindEntry("get-cuda"));
        Assert.Contains(warnings, w => w.File.Contains("get-cuda", StringComparison.Ordinal));
        var text = File.ReadAllText(IndexFile);
        Assert.Contains("\nb\t", text);

        warnings.Clear();
        var second = Load(roots);
        // The indexed load parses nothing, yet names the skipped meta again (the index keeps its warning).
        Assert.Contains(warnings, w => w.File.Contains("get-cuda", StringComparison.Ordinal) && w.Line > 0);
        Assert.Null(second.FindEntry("get-cuda"));
        Assert.NotNull(second.FindEntry("detect-os"));

        File.WriteAllText(fx["lib/script/get-cuda/meta.yaml"], "alias: get-cuda\nuid: 1234567890abcdef\ntags: [get, cuda]\n");
        Age();
        Assert.NotNull(Load(roots).FindEntry("get-cuda"));
    }

    private static void CorruptKeepingStamp(string file)
    {
        var info = new FileInfo(file);
        var (length, time) = (info.Length, info.LastWriteTimeUtc);
        File.WriteAllText(file, new string('x', (int)length));
        File.SetLastWriteTimeUtc(file, time);
    }

    /// <summary>Moves every file out of the index's racy window.</summary>
    private void Age()
    {
        foreach (var file in Directory.EnumerateFiles(fx.Root, "*", SearchOption.AllDirectories))
            if (!file.StartsWith(fx["cache"], StringComparison.Ordinal)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
    }
}
