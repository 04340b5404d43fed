using Automation.Core.Meta;
using Automation.Core.Resolution;

namespace Automation.Cli.Hosting;

/// <summary>CM's question on a terminal when several scripts match the same tags: a numbered list, Enter takes the first.</summary>
public sealed class ConsoleScriptChooser(TextReader input, TextWriter output) : IScriptChooser
{
    /// <summary>Asks only where someone can answer: a terminal on both ends and no --quiet, as CM does.</summary>
    public static IScriptChooser For(bool quiet) =>
        quiet || Console.IsInputRedirected || Console.IsErrorRedirected ? FirstCandidate.Instance : new ConsoleScriptChooser(Console.In, Console.Error);

    public int Choose(string tags, IReadOnlyList<ScriptMeta> candidates)
    {
        output.WriteLine($"More than one script matches the tags '{tags}':");
        for (var i = 0; i < candidates.Count; i++)
            output.WriteLine($"  {i}) {candidates[i].Alias} [{candidates[i].Repo}] {candidates[i].Directory}");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            output.Write($"Make your selection or press Enter for 0 (0-{candidates.Count - 1}): ");
            var line = input.ReadLine();
            if (line is null || line.Trim().Length == 0) return 0;
            if (int.TryParse(line.Trim(), out var n) && n >= 0 && n < candidates.Count) return n;
            output.WriteLine($"'{line.Trim()}' is not one of 0-{candidates.Count - 1}.");
        }
        return -1;
    }
}
