using System.Globalization;
using Automation.Core.Execution;
using Automation.Mlperf.Accuracy;
using Automation.Mlperf.Preprocessing;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Actions;

/// <summary>Reads mlperf_log_accuracy.json and the dataset labels, writes accuracy.txt (top-1, counts, log hash).</summary>
public sealed class ProcessAccuracyAction : IBuiltinAction
{
    public string Name => "process-mlperf-accuracy";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var log = env.Require("CM_MLPERF_ACCURACY_LOG_PATH", "Pass --accuracy_log=PATH/mlperf_log_accuracy.json (or run it as a posthook of app-mlperf-inference in accuracy mode).");
        var sidecar = env.Require("CM_DATASET_PREPROCESSED_PATH", "Pass --dataset=PATH to the preprocessed dataset's .json sidecar, which knows the labels.");
        var dataset = PreprocessedDataset.Open(sidecar);
        // CM_MLPERF_LABEL_OFFSET: how far the model's class ids are from the labels (1 for ResNet50's background class).
        var offset = env.Int("CM_MLPERF_LABEL_OFFSET", 0);
        var output = env.Get("CM_MLPERF_ACCURACY_RESULT_PATH") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(log))!, AccuracyProcessor.ResultFileName);
        var result = AccuracyProcessor.Process(log, dataset.ReadClassIds(), output, dataset.Info.ClassCount + offset, offset);
        env.Say($"Accuracy: {result.Accuracy:0.000}% top-1 ({result.Good}/{result.Total}) → {output}");
        var newEnv = new Dictionary<string, string>
        {
            ["CM_MLPERF_ACCURACY"] = result.Accuracy.ToString("0.000", CultureInfo.InvariantCulture),
            ["CM_MLPERF_ACCURACY_GOOD"] = result.Good.ToString(CultureInfo.InvariantCulture),
            ["CM_MLPERF_ACCURACY_TOTAL"] = result.Total.ToString(CultureInfo.InvariantCulture),
            ["CM_MLPERF_ACCURACY_FILE"] = output,
        };
        return Task.FromResult(new StepOutcome(newEnv, new JObject()));
    }
}
