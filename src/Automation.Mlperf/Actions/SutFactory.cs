using Automation.LoadGen.Settings;
using Automation.Mlperf.Sut;

namespace Automation.Mlperf.Actions;

/// <summary>The SUT and QSL of an app-mlperf-inference run, the same for its submission and its compliance runs.</summary>
internal static class SutFactory
{
    /// <summary>The preprocessed dataset, or for the light app random inputs shaped from the model's input metadata.</summary>
    public static IQuerySampleLibraryWithSamples OpenQsl(MlperfRunSpec run, ActionEnv env)
    {
        if (run.DatasetSidecar is { } sidecar) return new DatasetSamples(PreprocessedDatasetQsl.Open(sidecar, run.PerformanceSampleCount));
        var count = env.Int("CM_MLPERF_SYNTHETIC_SAMPLE_COUNT", 1024);
        env.Say($"Synthetic inputs: {count} random samples shaped from {Path.GetFileName(run.ModelPath)}'s input metadata.");
        return new SyntheticSamples(SyntheticInputQsl.ForModel(run.ModelPath, count));
    }

    // Server queries arrive apart, so ONNX Runtime's pool would spin between them for nothing.
    public static OnnxRuntimeSut Create(MlperfRunSpec run, IQuerySampleLibraryWithSamples qsl) =>
        new(run.ModelPath, qsl.Source, new OnnxRuntimeSutOptions(run.BatchSize, run.Threads, AllowSpinning: run.Scenario != TestScenario.Server));
}
