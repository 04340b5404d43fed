namespace Automation.LoadGen.Settings;

public enum TestScenario
{
    SingleStream,
    MultiStream,
    Server,
    Offline,
}

public enum TestMode
{
    SubmissionRun,
    AccuracyOnly,
    PerformanceOnly,
    FindPeakPerformance,
}

/// <summary>
/// LoadGen's TestSettings: what the caller asks for. Field names, types and defaults follow test_settings.h;
/// <see cref="EffectiveSettings"/> turns them into what a run actually uses.
/// </summary>
public sealed record TestSettings
{
    public TestScenario Scenario { get; init; } = TestScenario.SingleStream;
    public TestMode Mode { get; init; } = TestMode.PerformanceOnly;

    public double SingleStreamExpectedLatencyNs { get; init; } = 1_000_000;
    public double SingleStreamTargetLatencyPercentile { get; init; } = 0.90;

    public double MultiStreamExpectedLatencyNs { get; init; } = 8_000_000;
    public double MultiStreamTargetLatencyPercentile { get; init; } = 0.99;
    public ulong MultiStreamSamplesPerQuery { get; init; } = 8;

    public double ServerTargetQps { get; init; } = 1;
    public ulong ServerTargetLatencyNs { get; init; } = 100_000_000;
    public double ServerTargetLatencyPercentile { get; init; } = 0.99;
    public bool ServerCoalesceQueries { get; init; }
    public int ServerFindPeakQpsDecimalsOfPrecision { get; init; } = 1;
    public double ServerFindPeakQpsBoundaryStepSize { get; init; } = 1;
    /// <summary>0 means no limit.</summary>
    public ulong ServerMaxAsyncQueries { get; init; }
    public ulong ServerNumIssueQueryThreads { get; init; }

    public double OfflineExpectedQps { get; init; } = 1;
    public bool SampleConcatenatePermutation { get; init; }

    public ulong MinDurationMs { get; init; } = 10_000;
    /// <summary>0 means no limit.</summary>
    public ulong MaxDurationMs { get; init; }
    public ulong MinQueryCount { get; init; } = 100;
    /// <summary>0 means no limit.</summary>
    public ulong MaxQueryCount { get; init; }

    public ulong QslRngSeed { get; init; }
    public ulong SampleIndexRngSeed { get; init; }
    public ulong ScheduleRngSeed { get; init; }
    public ulong AccuracyLogRngSeed { get; init; }
    public double AccuracyLogProbability { get; init; }
    public ulong AccuracyLogSamplingTarget { get; init; }
    public bool Test05 { get; init; }
    public ulong Test05QslRngSeed { get; init; }
    public ulong Test05SampleIndexRngSeed { get; init; }
    public ulong Test05ScheduleRngSeed { get; init; }

    public bool PrintTimestamps { get; init; }
    public bool PerformanceIssueUnique { get; init; }
    public bool PerformanceIssueSame { get; init; }
    public ulong PerformanceIssueSameIndex { get; init; }
    /// <summary>0 means the QSL's PerformanceSampleCount.</summary>
    public ulong PerformanceSampleCountOverride { get; init; }
    /// <summary>0 means the QSL's TotalSampleCount.</summary>
    public ulong AccuracySampleCountOverride { get; init; }

    public bool UseTokenLatencies { get; init; }
    public ulong ServerTtftLatency { get; init; } = 100_000_000;
    public ulong ServerTpotLatency { get; init; } = 100_000_000;
    public bool InferTokenLatencies { get; init; }
    public ulong TokenLatencyScalingFactor { get; init; }

    /// <summary>
    /// LoadGen's FromConfig as a submission uses it: the official mlperf.conf first (seeds come only from it),
    /// then the user's conf, which wins for every key it sets.
    /// </summary>
    /// <param name="mlperfConfText">mlperf.conf text; null for the copy shipped with this library.</param>
    /// <param name="userConfText">user.conf text; null for none.</param>
    public static TestSettings FromConfig(
        string? mlperfConfText, string? userConfText, string model, TestScenario scenario, TestSettings? baseSettings = null)
    {
        var settings = (baseSettings ?? new TestSettings()) with { Scenario = scenario };
        var scenarioName = scenario.ToString();
        settings = ConfReader.Apply(settings, ConfFile.Parse(mlperfConfText ?? MlperfConf.Text), model, scenarioName, ConfSource.MlperfConf);
        if (userConfText is not null)
        {
            settings = ConfReader.Apply(settings, ConfFile.Parse(userConfText), model, scenarioName, ConfSource.UserConf);
        }
        return settings;
    }

    /// <summary><see cref="FromConfig"/> with the user's conf read from a file.</summary>
    public static TestSettings FromConfigFile(string userConfPath, string model, TestScenario scenario, TestSettings? baseSettings = null) =>
        FromConfig(null, File.ReadAllText(userConfPath), model, scenario, baseSettings);
}

/// <summary>Where and how LoadGen writes its logs (LoadGen's LogOutputSettings + enable_trace).</summary>
public sealed record LogSettings
{
    public string OutputDirectory { get; init; } = ".";
    public string Prefix { get; init; } = "mlperf_log_";
    public string Suffix { get; init; } = "";
    public bool PrefixWithDatetime { get; init; }
    /// <summary>Off by default, unlike the C++ LoadGen: the trace costs memory per sample and no checker reads it.</summary>
    public bool EnableTrace { get; init; }

    public string PathFor(string kind, string extension, string testDateTime)
    {
        var prefix = PrefixWithDatetime ? $"{Prefix}{testDateTime}_" : Prefix;
        return Path.Combine(OutputDirectory, $"{prefix}{kind}{Suffix}.{extension}");
    }
}
