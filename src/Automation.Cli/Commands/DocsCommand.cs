using System.CommandLine;
using Automation.Cli.Docs;
using Automation.Cli.Hosting;
using Automation.Core.Catalog;
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
        return new Command("docs", "Generate documentation") { scripts };
    }
}
