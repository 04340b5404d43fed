using System.CommandLine;
using Automation.Cli.Docs;
using Automation.Cli.Hosting;
using Automation.Core.Catalog;
using Automation.Core.Errors;
using Automation.Core.World;

namespace Automation.Cli.Commands;

/// <summary>`cm docs scripts [--out FILE]`: renders the script reference (docs/scripts.md) from the shipped scripts' meta.</summary>
public static class DocsCommand
{
    public static Command Create(GlobalOptions g)
    {
        var output = new Option<string?>("--out") { Description = "Write to FILE instead of stdout" };
        var scripts = new Command("scripts", "Render the reference of the workspace's scripts/ (tags, variations, inputs, exports) from their meta") { output, g.CacheDir, g.Verbose };
        scripts.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var root = Path.Combine(engine.Workspace.Root, "scripts");
            var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [root]);
            var text = ScriptDocs.Render(catalog.All);
            if (parse.GetValue(output) is { } file) File.WriteAllText(Path.GetFullPath(file), text);
            else Console.Out.Write(text);
            return 0;
        });
        var library = new Option<string>("--library") { Description = "A script library's script/ folder (e.g. mlperf-automations/script)", Required = true };
        var compatOut = new Option<string?>("--out") { Description = "Rewrite the meta-key table between the markers of FILE (docs/cm-compatibility.md) instead of printing it" };
        var compat = new Command("compat", "Render the table of the meta keys a script library uses, with counts and this engine's status (docs/cm-compatibility.md)") { library, compatOut, g.Verbose };
        compat.SetAction(parse =>
        {
            var root = Path.GetFullPath(parse.GetValue(library)!);
            if (!Directory.Exists(root)) throw new AutomationException($"'{root}' is not a folder", root, fix: "Pass the script/ folder of a library, e.g. mlperf-automations/script.");
            var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [root], warn: w => { if (!w.VerboseOnly) Console.Error.WriteLine("warning: " + w); });
            // Named by the library's folder (mlperf-automations-<commit>), not by where it was extracted.
            var name = Path.GetFileName(Path.GetDirectoryName(root)) is { Length: > 0 } parent ? $"{parent}/script" : root;
            var table = CompatDocs.Table(catalog.All, $"`{name}`");
            if (parse.GetValue(compatOut) is { } file)
            {
                var path = Path.GetFullPath(file);
                File.WriteAllText(path, CompatDocs.Replace(File.ReadAllText(path), table, path));
            }
            else Console.Out.Write(table);
            return 0;
        });
        return new Command("docs", "Generate documentation") { scripts, compat };
    }
}
