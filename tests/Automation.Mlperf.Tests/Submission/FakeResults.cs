using Xunit;
using System.Globalization;
using System.Text.Json;
using Automation.LoadGen;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;
using Automation.Mlperf.Compliance;
using Automation.Mlperf.Submission;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>
/// An image classifier stand-in: each sample takes a fixed time on a <see cref="ManualClock"/> (so a 600 s run takes
/// milliseconds) and answers the label of its index for 8 indices in 10, so accuracy is exactly 80%.
/// </summary>
internal sealed class FakeClassifierSut(ManualClock clock, long serviceNsPerSample) : ISystemUnderTest
{
    public string Name => "FakeClassifierSUT";

    /// <summary>Answers another class than <see cref="Predict"/> does, as a SUT would that skips work in some runs.</summary>
    public bool AnswerWrongly { get; init; }

    public static int Label(int index) => index % 1000;

    public static int Predict(int index) => index % 10 < 8 ? Label(index) : (Label(index) + 1) % 1000;

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        clock.Advance(serviceNsPerSample * samples.Count);
        var responses = new QuerySampleResponse[samples.Count];
        for (var i = 0; i < samples.Count; i++)
            responses[i] = new QuerySampleResponse(samples[i].Id, BitConverter.GetBytes(AnswerWrongly ? (Predict(samples[i].Index) + 7) % 1000 : Predict(samples[i].Index)));
        completer.QuerySamplesComplete(responses);
    }

    public void FlushQueries()
    {
    }
}

/// <summary>A data set of ImageNet's validation size (the resnet benchmark's), with nothing to load.</summary>
internal sealed class FakeImageQsl(int total = 50000, int performance = 1024) : IQuerySampleLibrary
{
    public string Name => "FakeImageQSL";
    public int TotalSampleCount => total;
    public int PerformanceSampleCount => performance;
    public void LoadSamplesToRam(IReadOnlyList<int> sampleIndices) { }
    public void UnloadSamplesFromRam(IReadOnlyList<int> sampleIndices) { }
}

/// <summary>
/// Writes a results folder exactly as docs/submission.md specifies, by running the native LoadGen for real
/// (performance with the official 600 s minimum on a manual clock, accuracy over the whole data set) and
/// scoring the accuracy log like the reference accuracy script.
/// </summary>
internal static class FakeResults
{
    public const string System = "fake-sut-cpu-onnxruntime";
    public const string Model = "fake-classifier";
    public const long ServiceNs = 10_000_000;

    private const string UserConf = """
        *.SingleStream.target_latency = 10
        *.MultiStream.target_latency = 80
        *.Offline.target_qps = 100
        """;

    public static readonly Dictionary<string, string> SystemEnv = new()
    {
        ["CM_HOST_OS_NAME"] = "Debian GNU/Linux 13 (trixie)",
        ["CM_HOST_OS_KERNEL_VERSION"] = "6.1.0-test",
        ["CM_HOST_SYSTEM_NAME"] = "fake-host",
        ["CM_HOST_CPU_MODEL_NAME"] = "Fake CPU @ 3.00GHz",
        ["CM_HOST_CPU_SOCKETS"] = "1",
        ["CM_HOST_CPU_TOTAL_PHYSICAL_CORES"] = "8",
        ["CM_HOST_CPU_TOTAL_LOGICAL_CORES"] = "16",
        ["CM_HOST_MEMORY_CAPACITY_KB"] = "33554432",
    };

    public static void Write(string resultsDir, params TestScenario[] scenarios)
    {
        foreach (var scenario in scenarios)
        {
            var dir = Path.Combine(resultsDir, System, Model, scenario.ToString());
            Run(SubmissionLayout.PerformanceDir(dir), scenario, TestMode.PerformanceOnly);
            var accuracyDir = SubmissionLayout.AccuracyDir(dir);
            Run(accuracyDir, scenario, TestMode.AccuracyOnly);
            File.WriteAllText(Path.Combine(accuracyDir, SubmissionLayout.AccuracyTxt), Score(Path.Combine(accuracyDir, SubmissionLayout.AccuracyLog)));
        }
    }

    /// <summary>
    /// TEST01 and TEST04 of each scenario (resnet's tests), run as app-mlperf-inference runs them: the native LoadGen
    /// reading the official audit.config, then MLPerf's run_verification.py writing &lt;scenario&gt;/TESTnn.
    /// </summary>
    public static IReadOnlyList<ComplianceVerdict> WriteCompliance(string resultsDir, ComplianceScripts scripts, ComplianceVerifier verifier, params TestScenario[] scenarios)
    {
        var verdicts = new List<ComplianceVerdict>();
        foreach (var scenario in scenarios)
        {
            var runner = new ComplianceRunner(scripts, verifier, (audit, settings, dir) =>
            {
                var clock = new ManualClock();
                return new NativeLoadGen(clock, auditConfigPath: audit).Run(new FakeClassifierSut(clock, ServiceNs), new FakeImageQsl(), settings, new LogSettings { OutputDirectory = dir });
            }, _ => { });
            var dir = Path.Combine(resultsDir, System, Model, scenario.ToString());
            verdicts.AddRange(runner.RunAsync(new ComplianceRequest(dir, Model, "resnet", scenario)).GetAwaiter().GetResult());
        }
        return verdicts;
    }

    private static void Run(string runDir, TestScenario scenario, TestMode mode)
    {
        Directory.CreateDirectory(runDir);
        File.WriteAllText(Path.Combine(runDir, SubmissionLayout.UserConf), UserConf);
        var settings = TestSettings.FromConfig(null, UserConf, Model, scenario) with { Mode = mode };
        var clock = new ManualClock();
        new NativeLoadGen(clock).Run(new FakeClassifierSut(clock, ServiceNs), new FakeImageQsl(), settings, new LogSettings { OutputDirectory = runDir });
        var info = new RunInfo
        {
            Model = Model,
            MlperfModel = "resnet",
            Framework = "onnxruntime",
            FrameworkVersion = "1.31.1",
            Scenario = scenario.ToString(),
            Mode = mode == TestMode.PerformanceOnly ? "performance" : "accuracy",
            QslRngSeed = settings.QslRngSeed,
            SampleIndexRngSeed = settings.SampleIndexRngSeed,
            ScheduleRngSeed = settings.ScheduleRngSeed,
            Dataset = "fake-imagenet",
            DatasetSize = 50000,
            Measurements = new ModelMeasurements("fp32", "no", "fake-classifier.onnx", "fp32", "none"),
            Command = $"cm run script --tags=app,mlperf,inference --model={Model} --scenario={scenario} --mode={(mode == TestMode.PerformanceOnly ? "performance" : "accuracy")} --results_dir=RESULTS",
            SystemEnv = SystemEnv,
        };
        info.Save(Path.Combine(runDir, SubmissionLayout.RunInfo));
    }

    /// <summary>accuracy.txt as the reference ImageNet script words it: "accuracy=NN.NNN%, good=N, total=N".</summary>
    private static string Score(string accuracyLog)
    {
        using var log = JsonDocument.Parse(File.ReadAllText(accuracyLog));
        int good = 0, total = 0;
        foreach (var entry in log.RootElement.EnumerateArray())
        {
            var index = entry.GetProperty("qsl_idx").GetInt32();
            var predicted = BitConverter.ToInt32(Convert.FromHexString(entry.GetProperty("data").GetString()!));
            total++;
            if (predicted == FakeClassifierSut.Label(index)) good++;
        }
        var accuracy = (100.0 * good / total).ToString("F3", CultureInfo.InvariantCulture);
        return $"accuracy={accuracy}%, good={good}, total={total}\n";
    }
}
