using Automation.Cli.Actions;
using Automation.Core.Execution;
using Automation.Mlperf.Actions;
using Automation.Mlperf.Runtime;

namespace Automation.Cli.Hosting;

/// <summary>The built-in actions scripts may name in their meta (`"builtin": "NAME"`).</summary>
public static class BuiltinActions
{
    static BuiltinActions() =>
        Automation.Mlperf.Actions.LoadGenEngines.Register("official", env => Automation.LoadGen.Official.OfficialLoadGen.FromEnvironment(env));

    public static IEnumerable<IBuiltinAction> All(Engine engine) =>
    [
        new DownloadFileAction(),
        new ExtractFileAction(),
        new OnnxRuntimeInfoAction(),
        new FashionMnistDatasetAction(),
        new FashionMnistPreprocessAction(),
        new FashionMnistModelAction(),
        new ImagenetValDatasetAction(), new ImagenetPreprocessAction(),
        new MlperfInferenceAction(),
        new ProcessAccuracyAction(),
        new HarnessOverheadBenchmarkAction(),
        new Automation.Mlperf.Submission.GenerateSubmissionAction(),
        new Automation.Mlperf.Submission.CheckSubmissionAction(),
        new Benchmarks.LoadGenBenchmarkAction(Core.World.CliWrapProcessRunner.Instance),
    ];
}
