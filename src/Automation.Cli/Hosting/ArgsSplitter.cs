using System.CommandLine;
using System.Globalization;
using Automation.Core.Errors;

namespace Automation.Cli.Hosting;

/// <summary>
/// Separates CM's free-form flags (--env.K=V, --adr.N.F=V, script inputs) from the flags a command declares, before
/// System.CommandLine sees them, so they are never mistaken for positional tags. A declared option that needs a value
/// never takes the next flag as its value (`--cache-dir -j`, `--version --dry-run`): that is refused here.
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
            if (name is "--help" or "-h" or "-?") { declared.Add(token); continue; }
            if (current.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name)) is { } option)
            {
                if (option.Arity.MinimumNumberOfValues > 0 && !token.Contains('=') && i + 1 < args.Length && IsFlag(args[i + 1]))
                    throw new AutomationException($"{name} needs a value, but the flag '{args[i + 1]}' follows it",
                        fix: $"Give the value right after it ({name} VALUE or {name}=VALUE); a value that starts with '-' is written {name}=-VALUE.");
                declared.Add(token);
                continue;
            }
            if (!token.StartsWith("--", StringComparison.Ordinal)) { declared.Add(token); continue; }
            free.Add(token);
            if (!token.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith('-')) free.Add(args[++i]);
        }
        return (declared.ToArray(), free);
    }

    /// <summary>A token that is a flag rather than a value: starts with '-', and is not "-" (stdin) or a negative number.</summary>
    private static bool IsFlag(string token) =>
        token.Length > 1 && token[0] == '-' && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
