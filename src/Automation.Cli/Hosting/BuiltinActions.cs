using Automation.Cli.Actions;
using Automation.Core.Execution;
using Automation.Core.World;
using Automation.LoadGen.Official;
using Automation.Mlperf.Actions;

namespace Automation.Cli.Hosting;

/// <summary>The CLI's own built-in actions (download, extract, the LoadGen benchmark).</summary>
public sealed class CliActions : IActionModule
{
    public IEnumerable<IBuiltinAction> Actions =>
    [
        new DownloadFileAction(),
        new ExtractFileAction(),
        new Benchmarks.LoadGenBenchmarkAction(CliWrapProcessRunner.Instance),
    ];
}

/// <summary>Composes the one registry of built-in actions scripts may name in their meta (`"builtin": "NAME"`).</summary>
public static class BuiltinActions
{
    public static BuiltinRegistry Registry() =>
        new([new CliActions(), new MlperfActions(Automation.Mlperf.Actions.LoadGenEngines.NativeOnly.With("official", (env, audit) => OfficialLoadGen.FromEnvironment(env, audit)))]);
}
