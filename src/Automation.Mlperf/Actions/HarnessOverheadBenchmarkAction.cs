using System.Globalization;
using Automation.Core.Execution;
using Automation.LoadGen;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Sut;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Actions;

/// <summary>
/// Harness overhead (issue 6 figure): Offline samples/s through LoadGen and the ONNX Runtime SUT, divided by a plain
/// ONNX Runtime batch loop over the same samples with the same batch size and threads. Both are measured in this run,
/// alternately, and the medians are compared (target ≥ 0.95).
/// </summary>
public sealed class HarnessOverheadBenchmarkAction : IBuiltinAction
{
    public string Name => "benchmark-mlperf-harness-overhead";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var model = env.Require("CM_ML_MODEL_FILE_WITH_PATH", "Run it through its model dep.");
        var sidecar = env.Require("CM_DATASET_PREPROCESSED_PATH", "Run it through its preprocessed-dataset dep.");
        var batch = Math.Max(1, env.Int("CM_MLPERF_BATCH_SIZE", 32));
        var threads = env.Int("CM_MLPERF_THREADS", 0);
        var samples = env.Int("CM_BENCHMARK_SAMPLES", 50_000);
        var repeats = Math.Max(1, env.Int("CM_BENCHMARK_REPEATS", 3));

        var qsl = PreprocessedDatasetQsl.Open(sidecar);
        var all = Enumerable.Range(0, qsl.TotalSampleCount).ToArray();
        // LoadGen's Offline query repeats the loaded set in order, so the raw loop walks the same sequence.
        var sequence = Enumerable.Range(0, samples).Select(i => all[i % all.Length]).ToArray();
        var outDir = Path.Combine(context.WorkDir, "loadgen");
        var settings = TestSettings.FromConfig(null, $"*.Offline.min_query_count = {samples}\n*.Offline.max_query_count = {samples}\n*.Offline.min_duration = 0\n", "fashion-mnist", TestScenario.Offline)
            with { Mode = TestMode.PerformanceOnly, PerformanceSampleCountOverride = (ulong)all.Length };

        var raw = new List<double>();
        var harness = new List<double>();
        using var sut = new OnnxRuntimeSut(model, qsl, new OnnxRuntimeSutOptions(batch, threads));
        for (var r = 0; r < repeats; r++)
        {
            qsl.LoadSamplesToRam(all); // LoadGen unloads its set after each run
            raw.Add(RawBatchLoop.Measure(model, qsl, sequence, new OrtRunnerOptions(batch, threads)).SamplesPerSecond);
            Directory.CreateDirectory(outDir);
            var result = new NativeLoadGen().Run(sut, qsl, settings, new LogSettings { OutputDirectory = outDir });
            harness.Add(result.SamplesPerSecond ?? 0);
            qsl.UnloadSamplesFromRam(all);
            env.Say(string.Create(CultureInfo.InvariantCulture, $"  repeat {r + 1}: raw loop {raw[^1]:0} samples/s, LoadGen Offline {harness[^1]:0} samples/s"));
        }
        var rawMedian = Median(raw);
        var harnessMedian = Median(harness);
        var ratio = harnessMedian / rawMedian;
        env.Say(string.Create(CultureInfo.InvariantCulture,
            $"Harness overhead, {samples} samples, batch {batch}, median of {repeats}: LoadGen Offline {harnessMedian:0} ÷ raw ONNX Runtime loop {rawMedian:0} = {ratio:0.000} (target ≥ 0.95)"));
        var newEnv = new Dictionary<string, string>
        {
            ["CM_BENCHMARK_RAW_SAMPLES_PER_SECOND"] = rawMedian.ToString("0", CultureInfo.InvariantCulture),
            ["CM_BENCHMARK_HARNESS_SAMPLES_PER_SECOND"] = harnessMedian.ToString("0", CultureInfo.InvariantCulture),
            ["CM_BENCHMARK_HARNESS_RATIO"] = ratio.ToString("0.000", CultureInfo.InvariantCulture),
        };
        return Task.FromResult(new StepOutcome(newEnv, new JObject()));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
