using Automation.Core.Execution;
using Automation.Core.World;
using Automation.Mlperf.Runtime;
using Automation.Mlperf.Submission;

namespace Automation.Mlperf.Actions;

/// <summary>The MLPerf pipeline's built-in actions: datasets, preprocessing, model, the inference run, accuracy, submission.</summary>
/// <param name="processes">Runs MLPerf's compliance verification scripts.</param>
public sealed class MlperfActions(LoadGenEngines engines, IProcessRunner? processes = null) : IActionModule
{
    public IEnumerable<IBuiltinAction> Actions =>
    [
        new OnnxRuntimeInfoAction(),
        new FashionMnistDatasetAction(),
        new FashionMnistPreprocessAction(),
        new FashionMnistModelAction(),
        new ImagenetValDatasetAction(),
        new ImagenetPreprocessAction(),
        new MlperfInferenceAction(engines),
        new MlperfComplianceAction(engines, processes ?? CliWrapProcessRunner.Instance),
        new ProcessAccuracyAction(),
        new HarnessOverheadBenchmarkAction(),
        new GenerateSubmissionAction(),
        new CheckSubmissionAction(),
    ];
}
