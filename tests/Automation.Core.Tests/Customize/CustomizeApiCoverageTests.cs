using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Customize;

/// <summary>
/// Every automation.*, mlc.*/cmind.* and utils.* name the real script library's customize.py files (and our CM-format
/// fixtures) use must be provided by the customize host, or those hooks would fail at run time.
/// </summary>
public sealed class CustomizeApiCoverageTests
{
    [Fact]
    public void The_scanner_finds_each_way_hooks_reach_the_api_and_ignores_comments()
    {
        const string source = """
            from cmind import utils
            from utils import is_true, download_file  # comment, ignored
            from mlc.utils import (load_txt,
                                   save_txt)
            from utils import *
            # automation.commented_out
            '''
            automation.in_a_docstring
            '''
            def preprocess(i):
                r = i['automation'].find_artifact({})
                automation.parse_version({})
                automation.action_object.access({})
                i["automation"].cache_action.access({})
                x = mlperf_utils.not_ours()
                cmind.access({})
                return utils.load_json('x')
            """;

        var uses = CustomizeApiScanner.Scan(source);

        Assert.Equal(
            [
                "action_object.access", "automation.action_object", "automation.cache_action", "automation.find_artifact",
                "automation.parse_version", "cache_action.access", "cmind.access", "cmind.utils", "cmind.utils.load_json",
                "mlc.utils", "mlc.utils.load_txt", "mlc.utils.save_txt", "utils.download_file", "utils.is_true",
            ],
            uses.Select(u => $"{u.Kind}.{u.Name}").Order(StringComparer.Ordinal));
    }

    [WithPython3AndLibraryFact]
    public async Task Every_name_the_vendored_mlc_library_uses_is_provided()
    {
        var uses = ScanFolder(Path.Combine(VendoredLibrary.Root!, "script"));

        Assert.True(uses.Files > 300, $"only {uses.Files} customize.py files were found in {VendoredLibrary.TarballPath}");
        Assert.Contains(new ApiUse("automation", "find_artifact"), uses.Where.Keys);
        await AssertAllProvidedAsync(uses);
    }

    [WithPython3Fact]
    public async Task Every_name_our_cm_format_fixtures_use_is_provided()
    {
        var scripts = Path.Combine(RepoPaths.Root, "tests", "Automation.Cli.Tests", "Scripts");
        var uses = ScanFolder(Path.Combine(scripts, "cm-format"), Path.Combine(scripts, "fixtures"));

        Assert.True(uses.Files > 0, $"no customize.py under {scripts}/cm-format or fixtures");
        await AssertAllProvidedAsync(uses);
    }

    /// <summary>Names used, each with the customize.py files using it (relative to the scanned folder).</summary>
    private sealed record Uses(int Files, IReadOnlyDictionary<ApiUse, List<string>> Where);

    private static Uses ScanFolder(params string[] roots)
    {
        var where = new Dictionary<ApiUse, List<string>>();
        var files = 0;
        foreach (var root in roots.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(root, "customize.py", SearchOption.AllDirectories))
            {
                files++;
                foreach (var use in CustomizeApiScanner.Scan(File.ReadAllText(file)))
                {
                    if (!where.TryGetValue(use, out var list)) where[use] = list = [];
                    list.Add(Path.GetRelativePath(root, file));
                }
            }
        return new Uses(files, where);
    }

    private static async Task AssertAllProvidedAsync(Uses uses)
    {
        var byKind = new JObject();
        foreach (var group in uses.Where.Keys.GroupBy(u => u.Kind))
            byKind[group.Key] = new JArray(group.Select(u => u.Name).Order(StringComparer.Ordinal));
        var namesFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(namesFile, byKind.ToString());
            var result = await Python3.RunAsync("check_api_names.py", namesFile);
            Assert.True(result.ExitCode == 0, $"check_api_names.py failed (exit {result.ExitCode}):\n{result.CombinedOutput}");

            var missing = JArray.Parse(result.StandardOutput).Select(t => (string)t!).ToList();
            var report = missing.Select(m =>
            {
                var use = uses.Where.Keys.First(u => $"{u.Kind}.{u.Name}" == m);
                return $"{m} (used by {string.Join(", ", uses.Where[use].Take(3))})";
            });
            Assert.True(missing.Count == 0, "the customize host does not provide:\n  " + string.Join("\n  ", report));
        }
        finally
        {
            File.Delete(namesFile);
        }
    }
}
