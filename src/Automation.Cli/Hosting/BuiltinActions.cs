using Automation.Core.Execution;
using Automation.Mlperf.Actions;

namespace Automation.Cli.Hosting;

/// <summary>The built-in actions scripts may name in their meta (`"builtin": "NAME"`).</summary>
public static class BuiltinActions
{
    public static IEnumerable<IBuiltinAction> All(Engine engine) =>
    [
        new FashionMnistDatasetAction(),
        new FashionMnistPreprocessAction(),
        new FashionMnistModelAction(),
        new MlperfInferenceAction(),
        new ProcessAccuracyAction(),
    ];
}
