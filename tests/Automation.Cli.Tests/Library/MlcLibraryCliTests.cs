using Automation.Cli.Commands;
using Automation.Cli.Docs;
using Automation.Core.Catalog;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Tests.Meta;
using Automation.Core.World;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Cli.Tests.Library;

/// <summary>
/// The real MLC script library (vendored tarball, extracted per run) on CM_SCRIPT_PATH. Every script is walked in
/// process through the catalog and the code `cm show script` prints with (one cm process per script would take
/// minutes); the cm CLI itself lists all of them once and finds and shows a spread sample.
/// </summary>
public sealed class MlcLibraryCliTests(MlcLibrary library, ITestOutputHelper output) : IClassFixture<MlcLibrary>, IDisposable
{
    private readonly TempWorkspace ws = new();

    public void Dispose() => ws.Dispose();

    private CmResult Cm(params string[] args) => ws.Cm(new Dictionary<string, string> { ["CM_SCRIPT_PATH"] = library.ScriptRoot }, args);

    [MlcLibraryFact]
    public void Every_library_script_is_found_by_its_own_tags_and_shown()
    {
        var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [library.ScriptRoot]);
        var resolver = new Resolver(catalog);
        int shown = 0, withPlan = 0;
        foreach (var folder in library.MetaFolders)
        {
            var meta = Assert.Single(catalog.All, m => m.Directory == folder);
            Assert.Contains(meta, catalog.Find(TagQuery.FromTags(meta.Tags)));
            var (plan, error) = FindShowCommands.TryPlan(resolver, new RunRequest { Name = meta.Alias });
            var text = new StringWriter();
            FindShowCommands.Describe(text, meta, plan, error);
            Assert.StartsWith($"{meta.Alias} ({meta.Uid})  {meta.MetaFile}\nrepo: {meta.Repo} (env prefix {meta.EnvPrefix})\ntags: {string.Join(',', meta.Tags)}\n", text.ToString().ReplaceLineEndings("\n"));
            shown++;
            if (plan is not null) withPlan++;
        }
        output.WriteLine($"{shown} of {library.MetaFolders.Count} library scripts found by their own tags and shown; {withPlan} with a dependency tree, {shown - withPlan} with a note on why not");
        Assert.Equal(library.MetaFolders.Count, shown);
    }

    [MlcLibraryFact]
    public void Cm_lists_the_whole_library_from_CM_SCRIPT_PATH_and_finds_and_shows_a_sample()
    {
        var list = Cm("find", "script", "-j");
        Assert.True(list.ExitCode == 0, list.Stderr);
        var found = JArray.Parse(list.Stdout).Select(s => (Alias: (string)s["alias"]!, Tags: s["tags"]!.Select(t => (string)t!).ToList(), Path: (string)s["path"]!)).ToList();
        Assert.Equal(library.MetaFolders, found.Select(s => s.Path).Order(StringComparer.Ordinal));

        // Every 25th script, by folder name, through the real CLI (the in-process walk covers all of them).
        var sample = found.OrderBy(s => s.Path, StringComparer.Ordinal).Where((_, i) => i % 25 == 0).ToList();
        foreach (var (alias, tags, path) in sample)
        {
            var find = Cm("find", "script", "--tags=" + string.Join(',', tags));
            var show = Cm("show", "script", alias);

            Assert.True(find.ExitCode == 0, find.Stderr);
            Assert.Contains(find.Stdout.Split('\n'), l => l.StartsWith(alias + " ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(path, StringComparison.Ordinal));
            Assert.True(show.ExitCode == 0, show.Stderr);
            Assert.StartsWith($"{alias} (", show.Stdout);
            Assert.Contains(Path.Combine(path, "meta.yaml"), show.Stdout);
        }
        output.WriteLine($"cm find script lists {found.Count} library scripts; {sample.Count} of them found by their tags and shown through the cm CLI");
    }

    [MlcLibraryFact]
    public void Show_unsupported_names_each_unimplemented_key_with_where_it_occurs()
    {
        var r = Cm("show", "script", "get-python3", "--unsupported", "-j");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var keys = JArray.Parse(r.Stdout);
        Assert.All(keys, k => Assert.NotEqual("supported", (string?)k["status"]));
        var tests = Assert.Single(keys, k => (string?)k["key"] == "tests");
        Assert.Equal("script", (string?)tests["level"]);
        Assert.Equal("ignored with warning", (string?)tests["status"]);
        Assert.Equal("tests", (string?)tests["where"]![0]!["path"]);
        Assert.True((int)tests["where"]![0]!["line"]! > 0);
    }

    [MlcLibraryFact]
    public void The_meta_key_table_of_docs_cm_compatibility_md_is_current()
    {
        var doc = Path.Combine(RepoPaths.Root, "docs", "cm-compatibility.md");
        var copy = Path.Combine(ws.Root, "cm-compatibility.md");
        File.Copy(doc, copy);

        var r = Cm("docs", "compat", "--library", library.ScriptRoot, "--out", copy);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.ReadAllText(doc) == File.ReadAllText(copy),
            $"docs/cm-compatibility.md is stale: run `cm docs compat --library <extracted {MlcLibrary.TarballName}>/mlperf-automations-20d3d94/script --out docs/cm-compatibility.md` and commit it.");
        var table = CompatDocs.Current(File.ReadAllText(doc))!;
        foreach (var meta in ScriptCatalog.Load(PhysicalFileSystem.Instance, [library.ScriptRoot]).All)
            foreach (var use in MetaKeys.Uses(meta.Raw))
                Assert.Contains($"| {MetaKeys.Text(use.Key.Level)} | `{use.Key.Name}` |", table);
    }
}
