using Automation.Cli.Tests;
using Automation.Core.Meta;
using Automation.Core.Tests.Meta;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Reliability.Tests.Figures;

/// <summary>
/// Issue 17's figure: 1,000 malformed metas, mutations of real ones (our scripts' `_cm.json`, the MLC library's
/// `meta.yaml`) in YAML and JSON, each read by cm through its CLI (`run --dry-run`, `show`, `find`): no stack trace,
/// no exit 70, no hang, each within 2 s. Damage as MetaFuzzTests does it (<see cref="MetaMutator"/>), plus values of
/// the wrong shape. Deterministic (seed 17); every 40th case also through a real `dotnet cm.dll` process.
/// Print the figure: dotnet test tests/Reliability --filter Generated --logger "console;verbosity=detailed"
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class GeneratedMetaFigureTests(ITestOutputHelper output)
{
    private const int Count = 1000;

    private sealed record Source(string File, string Text, bool IsYaml, string Alias, string Tags);

    [WithLibraryFact]
    public void Generated_malformed_metas_end_in_a_result_or_a_clear_error()
    {
        var random = new Random(17);
        var ours = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "scripts"), "_cm.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => Load(f, false)).ToList();
        var library = Directory.EnumerateFiles(Path.Combine(VendoredLibrary.Root!, "script"), "meta.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => Load(f, true)).ToList();
        using var ws = new TempWorkspace();
        // Our scripts beside the damaged one, so that its deps and tags meet real metas.
        foreach (var file in ours)
        {
            var dir = Path.Combine(ws.Root, "scripts", Path.GetFileName(Path.GetDirectoryName(file.File)!));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "_cm.json"), file.Text);
        }
        var fuzz = Path.Combine(ws.Root, "scripts", "zz-fuzz");
        var tally = new FigureTally("generated malformed metas");
        var formats = new Dictionary<string, int>();
        InProcessCm.Run(ws.Root, ["find", "script"], TimeSpan.FromMinutes(1)); // JIT warm-up, not counted

        for (var i = 0; i < Count; i++)
        {
            var source = random.Next(3) == 0 ? ours[random.Next(ours.Count)] : library[random.Next(library.Count)];
            var damage = (MetaDamage)(i % 4);
            string text, name;
            if (damage == MetaDamage.Reshape)
            {
                var tree = source.IsYaml ? YamlMeta.ToJson(source.Text, source.File) : JObject.Parse(source.Text);
                text = MetaMutator.Reshape(tree, random).ToString();
                // JSON is YAML too: half the reshaped metas go through the YAML reader.
                name = random.Next(2) == 0 ? "meta.yaml" : "_cm.json";
            }
            else
            {
                text = MetaMutator.Damage(source.Text, random, damage).Text;
                name = source.IsYaml ? "meta.yaml" : "_cm.json";
            }
            var key = $"{(name.EndsWith(".yaml", StringComparison.Ordinal) ? "YAML" : "JSON")} {damage.ToString().ToLowerInvariant()}";
            formats[key] = formats.GetValueOrDefault(key) + 1;

            if (Directory.Exists(fuzz)) Directory.Delete(fuzz, true);
            Directory.CreateDirectory(fuzz);
            File.WriteAllText(Path.Combine(fuzz, name), text);
            string[] args = (i % 3) switch
            {
                0 => ["run", "script", $"--tags={source.Tags}", "--dry-run", "-j"],
                1 => ["show", "script", source.Alias],
                _ => ["find", "script", "-j"],
            };
            var describe = $"case {i}: {key} of {Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(source.File)!)!, source.File)}";
            tally.RunInProcess(ws.Root, args, describe);
            if (i % 40 == 0) tally.RunAsProcess(ws.Root, args, describe);
        }

        output.WriteLine(tally.Figure);
        output.WriteLine("kinds: " + string.Join(", ", formats.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}")));
        if (!tally.Silent) output.WriteLine(tally.Problems);
        tally.AssertClean();
    }

    private static Source Load(string file, bool isYaml)
    {
        var text = File.ReadAllText(file);
        var meta = isYaml ? YamlMeta.ToJson(text, file) : JObject.Parse(text);
        var tags = meta["tags"] is JArray list ? string.Join(',', list.Take(3).Select(t => (string?)t)) : (string?)meta["tags"] ?? "";
        return new Source(file, text, isYaml, (string?)meta["alias"] ?? Path.GetFileName(Path.GetDirectoryName(file)!), tags);
    }
}
