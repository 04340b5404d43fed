using System.CommandLine;
using Automation.Core.Catalog;
using Automation.Core.Errors;
using Automation.Core.Files;
using Newtonsoft.Json;

namespace Automation.Cli.Commands;

/// <summary>`cm import PATH [--to DIR] [--force]`: converts CM/MLC script folders (`_cm.yaml`, `meta.yaml`) into our `_cm.json` form.</summary>
public static class ImportCommand
{
    public static Command Create(GlobalOptions g)
    {
        var source = new Argument<string>("path") { Description = "A CM/MLC script folder holding _cm.yaml or meta.yaml, or a folder of such script folders (CM's script/)" };
        var to = new Option<string?>("--to") { Description = "Copy each script folder under DIR/<alias>/ with _cm.json instead of writing _cm.json next to the YAML" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing _cm.json" };
        var command = new Command("import", "Convert CM/MLC script folders (_cm.yaml or meta.yaml meta) to this engine's _cm.json") { source, to, force, g.Verbose };
        command.SetAction(parse =>
        {
            var sourceDir = Path.GetFullPath(parse.GetValue(source)!);
            var report = new ScriptImporter(parse.GetValue(force)).Import(sourceDir, parse.GetValue(to) is { } dir ? Path.GetFullPath(dir) : null);
            foreach (var line in report.Lines) Console.Out.WriteLine(line);
            if (report.Failures.Count == 0) return 0;
            // Every failure at the end, after the folders that did import.
            foreach (var failure in report.Failures) Console.Error.WriteLine("failed: " + failure);
            throw new AutomationException($"{report.Failures.Count} of {report.Folders} script folders could not be imported (each is listed above)", sourceDir,
                fix: "Fix what each line names and run cm import again (add --force to redo the folders that were imported).");
        });
        return command;
    }
}

/// <summary>What an import did: a line per imported script (with notes and warnings), and each folder that failed.</summary>
public sealed record ImportReport(IReadOnlyList<string> Lines, IReadOnlyList<string> Failures, int Folders);

/// <summary>
/// The conversion itself: YAML meta (read as PyYAML reads it) → JSON, checked by the meta reader, plus notes on what
/// need python3 here. A folder that fails is reported and the others are still imported.
/// </summary>
public sealed class ScriptImporter(bool force)
{
    private static readonly string[] YamlNames = [ScriptLoader.YamlMetaName, ScriptLoader.MlcYamlMetaName];

    public ImportReport Import(string source, string? targetRoot)
    {
        if (!Directory.Exists(source))
            throw new AutomationException($"'{source}' is not a folder", source, fix: "Pass a CM/MLC script folder (holding _cm.yaml or meta.yaml) or a folder of them.");
        var folders = FindYaml(source) is not null
            ? [source]
            : Directory.EnumerateDirectories(source).Where(d => FindYaml(d) is not null).Order(StringComparer.Ordinal).ToList();
        if (folders.Count == 0)
            throw new AutomationException($"no {ScriptLoader.YamlMetaName} or {ScriptLoader.MlcYamlMetaName} in '{source}' or its subfolders", source,
                fix: "Point cm import at a script folder such as mlperf-automations/script/get-cmake, or at the script/ folder holding them.");
        var lines = new List<string>();
        var failures = new List<string>();
        foreach (var folder in folders)
        {
            try { lines.AddRange(ImportOne(folder, targetRoot)); }
            catch (AutomationException e) { failures.Add(e.Message); }
            catch (IOException e) { failures.Add($"{folder}: {e.Message}"); }
            catch (UnauthorizedAccessException e) { failures.Add($"{folder}: {e.Message}"); }
        }
        return new ImportReport(lines, failures, folders.Count);
    }

    private static string? FindYaml(string folder) => YamlNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private List<string> ImportOne(string folder, string? targetRoot)
    {
        var yamlPath = FindYaml(folder)!;
        // Read as the catalog reads it: a meta that cannot be read throws, the shapes CM tolerates come back as warnings.
        var meta = ScriptLoader.Read(File.ReadAllText(yamlPath), yamlPath, folder);
        var text = meta.Raw.ToString(Formatting.Indented) + "\n";
        var destination = targetRoot is null ? folder : Path.Combine(targetRoot, SafeName.Segment(meta.Alias));
        var jsonPath = Path.Combine(destination, ScriptLoader.JsonMetaName);
        if (File.Exists(jsonPath) && !force)
            throw new AutomationException($"{jsonPath} already exists", jsonPath, meta.Alias, "Pass --force to overwrite it, or --to DIR to write elsewhere.");
        if (targetRoot is not null) CopyFolder(folder, destination, Path.GetFileName(yamlPath));
        File.WriteAllText(jsonPath, text);

        var lines = new List<string> { $"{meta.Alias}: wrote {jsonPath} ({meta.Tags.Count} tags, {meta.Variations.Count} variations, {meta.AllDeps().Count()} deps)" };
        lines.AddRange(meta.Warnings.Where(w => !w.VerboseOnly).Select(w => "  warning: " + w));
        if (File.Exists(Path.Combine(folder, "customize.py")))
            lines.Add($"  note: {meta.Alias} has customize.py: its hooks run in the customize.py host, which needs python3 (docs/customize-host.md).");
        if (!File.Exists(Path.Combine(folder, "run.sh")) && !File.Exists(Path.Combine(folder, "run.bat")) && meta.Detect is null && meta.Builtin is null && !meta.AllDeps().Any())
            lines.Add($"  note: {meta.Alias} has no run script, detect block or deps, so running it does nothing.");
        return lines;
    }

    private static void CopyFolder(string from, string to, string yamlName)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == yamlName) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        Directory.CreateDirectory(to);
    }
}
