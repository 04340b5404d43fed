using Automation.Core.Execution;

namespace Automation.Cli.Hosting;

/// <summary>The built-in actions scripts may name in their meta.</summary>
public static class BuiltinActions
{
    public static IEnumerable<IBuiltinAction> All(Engine engine) => [new Benchmarks.LoadGenBenchmarkAction(Core.World.CliWrapProcessRunner.Instance)];
}
