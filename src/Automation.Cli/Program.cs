using System.CommandLine;
using System.CommandLine.Help;
using Automation.Cli.Commands;
using Automation.Cli.Hosting;
using Automation.Core.Errors;

namespace Automation.Cli;

public static class Program
{
    /// <summary>CM's free-form flags of this invocation (see <see cref="ArgsSplitter"/>).</summary>
    public static IReadOnlyList<string> FreeForm { get; private set; } = [];

    /// <summary>--verbose / -v on this command line: stack traces, and the catalog's verbose-only warnings.</summary>
    public static bool Verbose { get; private set; }

    public static int Main(string[] args)
    {
        // Run by ./cm: a cm built from sources that changed since hands the command to a new build.
        if (DevRebuild.RunIfStale(args) is { } rebuilt) return rebuilt;
        var verbose = Verbose = args.Contains("--verbose") || args.Contains("-v");
        try
        {
            if (Rendering.ScriptHelp.Wanted(args)) return RunScriptCommand.PrintScriptHelp(args);
            var root = BuildRoot(args);
            var (declared, free) = ArgsSplitter.Split(root, args);
            FreeForm = free;
            var parse = root.Parse(declared);
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (AutomationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (verbose) Console.Error.WriteLine(e);
            WriteJsonError(args, e.Message, e.File, e.Script, e.Fix, e.ExitCode);
            return e.ExitCode;
        }
        catch (Exception e) when (!verbose && e is IOException or UnauthorizedAccessException)
        {
            // The machine's answer about a path (a folder where a file belongs or the reverse, no permission, a full
            // disk): the message names the path, and it is the user's to fix, not a bug of ours.
            const string fix = "Check the files and folders this command reads and writes (the paths given on the command line, the cache folder): a folder where a file belongs or the reverse, permissions, free space.";
            Console.Error.WriteLine($"error: {e.Message.TrimEnd('.')}. {fix}");
            WriteJsonError(args, e.Message, null, null, fix, 1);
            return 1;
        }
        catch (Exception e) when (!verbose)
        {
            var message = $"internal error ({e.GetType().Name}): {e.Message}. Run again with --verbose for details, and report it if it persists.";
            Console.Error.WriteLine("error: " + message);
            WriteJsonError(args, message, null, null, null, 70);
            return 70;
        }
    }

    /// <summary>With -j a script reading stdout gets a JSON error object, not an empty stream (the paragraph stays on stderr).</summary>
    private static void WriteJsonError(IReadOnlyList<string> args, string message, string? file, string? script, string? fix, int exitCode)
    {
        if (!args.Contains("-j") && !args.Contains("--json")) return;
        var error = new Newtonsoft.Json.Linq.JObject { ["message"] = message, ["exit_code"] = exitCode };
        if (file is not null) error["file"] = file;
        if (script is not null) error["script"] = script;
        if (fix is not null) error["fix"] = fix;
        Console.Out.WriteLine(new Newtonsoft.Json.Linq.JObject { ["error"] = error }.ToString(Newtonsoft.Json.Formatting.Indented));
    }

    /// <summary>
    /// The command tree. Only the command named by the first word is built when there is one (start-up is most of a
    /// cached run); `cm`, `cm --help` and unknown words get every command, so help and suggestions stay complete.
    /// The root is a plain command named cm rather than a RootCommand, whose constructor finds the executable's name by
    /// reflection and loads the help and version options' localized texts (~0.7 ms); those options are added when
    /// the command line can use them.
    /// </summary>
    public static Command BuildRoot(IReadOnlyList<string>? args = null)
    {
        var g = new GlobalOptions();
        var root = new Command("cm", "cm: portable automation scripts (CM-compatible) for reproducible MLPerf-style benchmarks");
        var help = args is null || args.Count == 0 || args.Any(a => a is "--help" or "-h" or "-?");
        if (help) root.Options.Add(new HelpOption());
        if (help || args![0] == "--version") root.Options.Add(new VersionOption());
        var commands = Commands(g);
        var first = args?.FirstOrDefault(a => !a.StartsWith('-'));
        var only = first is not null && commands.Any(c => c.Name == first) ? first : null;
        foreach (var (name, create) in commands)
            if (only is null || name == only)
                root.Add(create());
        return root;
    }

    /// <summary>Top-level command names with their factories; a test checks each factory builds the command it names.</summary>
    public static IReadOnlyList<(string Name, Func<Command> Create)> Commands(GlobalOptions g) =>
    [
        ("run", () => new Command("run", "Run a script or an experiment") { RunScriptCommand.Create(g), RunExperimentCommand.Create(g), RunExperimentCommand.Step(g) }),
        ("find", () => FindShowCommands.Find(g)),
        ("show", () => FindShowCommands.Show(g)),
        ("pull", () => RepoCommands.Pull(g)),
        ("list", () => RepoCommands.List(g)),
        ("rm", () => RepoCommands.Remove(g)),
        ("cache", () => CacheCommands.Create(g)),
        ("docker", () => DockerScriptCommand.Create(g)),
        ("import", () => ImportCommand.Create(g)),
        ("docs", () => DocsCommand.Create(g)),
        (LoadGenBenchCommand.Name, () => LoadGenBenchCommand.Create()),
        ("lock", () => RecordCommands.Lock(g)),
        ("replay", () => RecordCommands.Replay(g)),
        ("diff", () => RecordCommands.Diff(g)),
        ("report", () => ReportCommand.Create(g)),
        ("explore", () => ExploreCommand.Create(g)),
        ("ae", () => AeCommands.Create(g)),
        ("serve", () => ServeCommand.Create(g)),
    ];
}
