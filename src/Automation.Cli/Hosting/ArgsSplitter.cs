using System.CommandLine;

namespace Automation.Cli.Hosting;

/// <summary>
/// Separates CM's free-form flags (--env.K=V, --adr.N.F=V, script inputs) from the flags a command declares, before
/// System.CommandLine sees them, so they are never mistaken for positional tags.
/// </summary>
public static class ArgsSplitter
{
    public static (string[] Declared, List<string> FreeForm) Split(Command root, string[] args)
    {
        Command current = root;
        var declared = new List<string>();
        var free = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (!token.StartsWith('-'))
            {
                var sub = current.Subcommands.FirstOrDefault(c => c.Name == token || c.Aliases.Contains(token));
                if (sub is not null && !declared.Skip(1).Any(t => !t.StartsWith('-'))) current = sub;
                declared.Add(token);
                continue;
            }
            var name = token.Split('=', 2)[0];
            if (IsDeclared(current, root, name)) { declared.Add(token); continue; }
            if (!token.StartsWith("--", StringComparison.Ordinal)) { declared.Add(token); continue; }
            free.Add(token);
            if (!token.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith('-')) free.Add(args[++i]);
        }
        return (declared.ToArray(), free);
    }

    private static bool IsDeclared(Command command, Command root, string name) =>
        name is "--help" or "-h" or "-?" ||
        command.Options.Any(o => o.Name == name || o.Aliases.Contains(name)) ||
        (command == root && root.Options.Any(o => o.Name == name || o.Aliases.Contains(name)));
}
