using Automation.Core.Catalog;
using Automation.Core.Meta;
using Automation.Core.World;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Core.Tests.Meta;

/// <summary>The real MLC library's metas, read by our YAML reader and by PyYAML.</summary>
public sealed class LibraryMetaTests(MlcLibrary library, ITestOutputHelper output) : IClassFixture<MlcLibrary>
{
    [PyYamlFact]
    public void Every_library_meta_reads_exactly_as_PyYAML_reads_it()
    {
        var files = library.MetaFolders.Select(d => Path.Combine(d, "meta.yaml")).ToList();
        var python = PyYamlOracle.Read(files);

        var differ = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            string ours;
            try { ours = PyYamlOracle.Canonical(YamlMeta.ToJson(File.ReadAllText(files[i]), files[i])); }
            catch (MetaException e) { ours = $"error {e.Line}:{e.Column}"; }
            var theirs = python[i].StartsWith("error", StringComparison.Ordinal) ? python[i] : JToken.Parse(python[i]).ToString(Formatting.None);
            if (ours != theirs) differ.Add($"{files[i]}:\n  ours:   {Cut(ours)}\n  PyYAML: {Cut(theirs)}");
        }

        output.WriteLine($"{files.Count - differ.Count}/{files.Count} metas read as PyYAML reads them");
        Assert.True(files.Count >= 370, $"only {files.Count} metas in the library");
        Assert.True(differ.Count == 0, string.Join('\n', differ));
    }

    [MlcLibraryFact]
    public void Every_library_folder_with_a_meta_is_a_script_found_by_its_own_tags()
    {
        var warnings = new List<MetaWarning>();
        var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [library.ScriptRoot], warn: warnings.Add);

        var found = 0;
        foreach (var meta in catalog.All)
        {
            Assert.Contains(meta, catalog.Find(TagQuery.FromTags(meta.Tags)));
            Assert.Same(meta, catalog.FindByAliasOrUid(meta.Alias));
            found++;
        }

        foreach (var w in warnings.Where(w => !w.VerboseOnly)) output.WriteLine(w.ToString());
        output.WriteLine($"{found} of {library.MetaFolders.Count} library scripts load and are found by their tags; {warnings.Count(w => w.VerboseOnly)} verbose-only notes");
        Assert.Equal(library.MetaFolders.Count, found);
        // The library's own slips, each read as CM reads it: one dep without tags, five adr values that are not mappings.
        Assert.Equal(6, warnings.Count(w => !w.VerboseOnly));
        Assert.Single(warnings, w => w.Message.Contains("has no 'tags'") && w.File.EndsWith("generate-mlperf-tiny-submission/meta.yaml"));
        Assert.Equal(5, warnings.Count(w => w.Message.Contains("is not a mapping of dep fields")));
    }

    private static string Cut(string s)
    {
        return s.Length > 400 ? s[..400] + "..." : s;
    }
}
