using System.CommandLine;
using Automation.Core.Catalog;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Newtonsoft.Json;

namespace Automation.Cli.Commands;

/// <summary>`cm import PATH [--to DIR] [--force]`: converts CM script folders (`_cm.yaml`) into our `_cm.json` form.</summary>
public static class ImportCommand
{
    public static Command Create(GlobalOptions g)
    {
        var source = new Argument<string>("path") { Description = "A CM script folder holding _cm.yaml, or a folder of such script folders (CM's script/)" };
        var to = new Option<string?>("--to") { Description = "Copy each script folder under DIR/<alias>/ with _cm.json instead of writing _cm.json next to _cm.yaml" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing _cm.json" };
        var command = new Command("import", "Convert CM script folders (_cm.yaml meta) to this engine's _cm.json") { source, to, force, g.Verbose };
        command.SetAction(parse =>
        {
            var report = new ScriptImporter(parse.GetValue(force)).Import(Path.GetFullPath(parse.GetValue(source)!), parse.GetValue(to) is { } dir ? Path.GetFullPath(dir) : null);
            foreach (var line in report) Console.Out.WriteLine(line);
            return 0;
        });
        return command;
    }
}

/// <summary>The conversion itself: YAML meta → JSON, validated by loading it back, plus notes on what will not run here.</summary>
public sealed class ScriptImporter(bool force)
{
    public IReadOnlyList<string> Import(string source, string? targetRoot)
    {
        if (!Directory.Exists(source))
            throw new AutomationException($"'{source}' is not a folder", source, fix: "Pass a CM script folder (holding _cm.yaml) or a folder of them.");
        var folders = File.Exists(Path.Combine(source, ScriptLoader.YamlMetaName))
            ? [source]
            : Directory.EnumerateDirectories(source).Where(d => File.Exists(Path.Combine(d, ScriptLoader.YamlMetaName))).Order(StringComparer.Ordinal).ToList();
        if (folders.Count == 0)
            throw new AutomationException($"no {ScriptLoader.YamlMetaName} in '{source}' or its subfolders", source, fix: "Point cm import at a CM script folder such as cm4mlops/script/get-cmake, or at the script/ folder holding them.");
        return folders.SelectMany(f => ImportOne(f, targetRoot)).ToList();
    }

    private IEnumerable<string> ImportOne(string folder, string? targetRoot)
    {
        var yamlPath = Path.Combine(folder, ScriptLoader.YamlMetaName);
        var json = YamlMeta.ToJson(File.ReadAllText(yamlPath), yamlPath);
        var text = json.ToString(Formatting.Indented) + "\n";
        // Loading it back validates every key we interpret and names the YAML file on error.
        var meta = MetaReader.FromJson(MetaReader.ParseJson(text, yamlPath), yamlPath, folder, MetaReader.Hash(text));
        var destination = targetRoot is null ? folder : Path.Combine(targetRoot, meta.Alias);
        var jsonPath = Path.Combine(destination, ScriptLoader.JsonMetaName);
        if (File.Exists(jsonPath) && !force)
            throw new AutomationException($"{jsonPath} already exists", jsonPath, meta.Alias, "Pass --force to overwrite it, or --to DIR to write elsewhere.");
        if (targetRoot is not null) CopyFolder(folder, destination);
        File.WriteAllText(jsonPath, text);

        yield return $"{meta.Alias}: wrote {jsonPath} ({meta.Tags.Count} tags, {meta.Variations.Count} variations, {meta.AllDeps().Count()} deps)";
        if (File.Exists(Path.Combine(folder, "customize.py")))
            yield return $"  note: {meta.Alias} has customize.py, which this engine does not run; running the script fails with a message until its preprocess/postprocess logic is expressed in the meta (detect, env) or in run.sh (docs/cm-compatibility.md).";
        if (!File.Exists(Path.Combine(folder, "run.sh")) && !File.Exists(Path.Combine(folder, "run.bat")) && meta.Detect is null && meta.Builtin is null && !meta.AllDeps().Any())
            yield return $"  note: {meta.Alias} has no run script, detect block or deps, so running it does nothing.";
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == ScriptLoader.YamlMetaName) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        Directory.CreateDirectory(to);
    }
}
