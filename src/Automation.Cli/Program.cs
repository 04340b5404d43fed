using System.CommandLine;
using Automation.Cli.Commands;
using Automation.Cli.Hosting;
using Automation.Core.Errors;

namespace Automation.Cli;

public static class Program
{
    /// <summary>CM's free-form flags of this invocation (see <see cref="ArgsSplitter"/>).</summary>
    public static IReadOnlyList<string> FreeForm { get; private set; } = [];

    public static int Main(string[] args)
    {
        var verbose = args.Contains("--verbose") || args.Contains("-v");
        try
        {
            var root = BuildRoot();
            var (declared, free) = ArgsSplitter.Split(root, args);
            FreeForm = free;
            var parse = root.Parse(declared);
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (AutomationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (verbose) Console.Error.WriteLine(e);
            return e.ExitCode;
        }
        catch (Exception e) when (!verbose)
        {
            Console.Error.WriteLine($"error: internal error ({e.GetType().Name}): {e.Message}. Run again with --verbose for details, and report it if it persists.");
            return 70;
        }
    }

    public static RootCommand BuildRoot()
    {
        var g = new GlobalOptions();
        var root = new RootCommand("cm: portable automation scripts (CM-compatible) for reproducible MLPerf-style benchmarks");
        root.Add(new Command("run", "Run a script or an experiment") { RunScriptCommand.Create(g), RunExperimentCommand.Create(g), RunExperimentCommand.Step(g) });
        root.Add(FindShowCommands.Find(g));
        root.Add(FindShowCommands.Show(g));
        root.Add(CacheCommands.Create(g));
        root.Add(DockerScriptCommand.Create(g));
        root.Add(ImportCommand.Create(g));
        root.Add(DocsCommand.Create(g));
        root.Add(LoadGenBenchCommand.Create());
        root.Add(RecordCommands.Lock(g)); root.Add(RecordCommands.Replay(g)); root.Add(RecordCommands.Diff(g)); root.Add(ReportCommand.Create(g)); root.Add(AeCommands.Create(g));
        root.Add(ServeCommand.Create(g));
        return root;
    }
}
