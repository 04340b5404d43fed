using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Results;
using Automation.LoadGen.Scenarios;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;

namespace Automation.LoadGen;

/// <summary>
/// The MLPerf LoadGen written in C#: same settings, scenarios, statistics and log formats as the C++ LoadGen it
/// follows (version <see cref="LoadGenVersion"/>), with its logs marked as coming from this engine.
/// </summary>
/// <param name="clock">The performance clock; tests pass a <see cref="ManualClock"/>.</param>
/// <param name="wallClock">Calendar time for test_datetime and power timestamps.</param>
/// <param name="auditConfigPath">A compliance test's audit.config, read as the C++ LoadGen's StartTest reads its
/// audit_config_filename (after user.conf, model "*", errors logged and the file then ignored). The C++ default is
/// "audit.config" in the working directory; this engine reads only the file it is given, so a forgotten audit.config
/// in a folder can never turn a submission run into a compliance run.</param>
public sealed class NativeLoadGen(ILoadGenClock? clock = null, TimeProvider? wallClock = null, string? auditConfigPath = null) : ILoadGenEngine
{
    public const string LoadGenVersion = "6.0.17";
    public const string EngineLabel = "native";

    private readonly ILoadGenClock _clock = clock ?? StopwatchClock.Instance;
    private readonly TimeProvider _wallClock = wallClock ?? TimeProvider.System;

    public string EngineName => EngineLabel;

    public LoadGenResult Run(ISystemUnderTest sut, IQuerySampleLibrary qsl, TestSettings settings, LogSettings log)
    {
        Directory.CreateDirectory(log.OutputDirectory);
        var testDateTime = _wallClock.GetLocalNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var origin = _clock.NowNs();
        var test = new TestRun(sut, qsl, new DetailLog(_clock.NowNs, origin), new AccuracyLog(), new TraceLog(origin), _clock, _wallClock);

        LogVersion(test.Detail);
        test.Detail.Log("test_datetime", testDateTime);
        var beforeName = _clock.NowNs();
        var sutName = sut.Name;
        test.Detail.Log("sut_name", sutName);
        test.Detail.Log("get_sut_name_duration_ns", _clock.NowNs() - beforeName);
        test.Detail.Log("qsl_name", qsl.Name);
        test.Detail.Log("qsl_reported_total_count", qsl.TotalSampleCount);
        test.Detail.Log("qsl_reported_performance_count", qsl.PerformanceSampleCount);

        settings = ApplyOverrides(settings, test.Detail);
        var effective = EffectiveSettings.Resolve(settings, (ulong)qsl.PerformanceSampleCount, (ulong)qsl.TotalSampleCount);
        SettingsLog.LogRequested(test.Detail, settings);
        SettingsLog.LogEffective(test.Detail, effective);
        foreach (var error in effective.Errors) test.Detail.LogError("error_invalid_test_settings", error);

        PerformanceFigures? performance = null;
        double? peak = null;
        switch (effective.Mode)
        {
            case TestMode.SubmissionRun:
                test.RunAccuracy(effective);
                performance = test.RunPerformance(effective);
                break;
            case TestMode.AccuracyOnly:
                test.RunAccuracy(effective);
                break;
            case TestMode.PerformanceOnly:
                performance = test.RunPerformance(effective);
                break;
            case TestMode.FindPeakPerformance:
                (performance, peak) = new PeakSearch(test).Run(effective);
                break;
        }

        var summary = new StringBuilder();
        if (performance is not null)
        {
            SummaryWriter.AppendPerformance(summary, performance);
            ResultLog.Log(test.Detail, performance);
        }
        test.Detail.Log("num_errors", test.Detail.ErrorCount, "results.cs");
        SummaryWriter.AppendTrailer(summary, test.Detail.WarningCount, test.Detail.ErrorCount);

        File.WriteAllText(log.PathFor("summary", "txt", testDateTime), summary.ToString());
        test.Detail.WriteTo(log.PathFor("detail", "txt", testDateTime));
        test.Accuracy.WriteTo(log.PathFor("accuracy", "json", testDateTime));
        if (log.EnableTrace) test.Trace.WriteTo(log.PathFor("trace", "json", testDateTime));

        return new LoadGenResult
        {
            EngineName = EngineName,
            Scenario = effective.Scenario,
            Mode = effective.Mode,
            ResultDirectory = Path.GetFullPath(log.OutputDirectory),
            Performance = performance,
            ErrorCount = test.Detail.ErrorCount,
            Errors = test.Detail.Errors,
            AccuracyLogEntries = test.Accuracy.Count,
            PeakTargetQps = peak,
        };
    }

    private TestSettings ApplyOverrides(TestSettings settings, DetailLog detail)
    {
        if (auditConfigPath is not null && File.Exists(auditConfigPath))
        {
            detail.LogWarning("warning_generic_message", "Found Audit Config file (audit.config). Overriding TestSettings from audit.config file.");
            settings = ApplyAuditConfig(settings, File.ReadAllText(auditConfigPath), detail);
        }
        if (!settings.Test05) return settings;
        detail.LogWarning("warning_generic_message", "Test05 flag detected Overriding random seeds");
        return settings with
        {
            Mode = TestMode.PerformanceOnly,
            QslRngSeed = settings.Test05QslRngSeed,
            SampleIndexRngSeed = settings.Test05SampleIndexRngSeed,
            ScheduleRngSeed = settings.Test05ScheduleRngSeed,
        };
    }

    /// <summary>
    /// TestSettings::FromConfig(audit_config, "*", scenario, 2): a file with a bad line is reported line by line as
    /// error_invalid_config and then not applied at all; a bad mode value is reported and the other keys still apply.
    /// </summary>
    private static TestSettings ApplyAuditConfig(TestSettings settings, string text, DetailLog detail)
    {
        ConfFile conf;
        try
        {
            conf = ConfFile.Parse(text);
        }
        catch (LoadGenConfigException e)
        {
            foreach (var error in e.Errors) detail.LogError("error_invalid_config", error);
            return settings;
        }
        return ConfReader.Apply(settings, conf, "*", settings.Scenario.ToString(), ConfSource.AuditConfig,
            error => detail.LogError("error_invalid_config", error));
    }

    /// <summary>
    /// LoadGen's version block. loadgen_version keeps LoadGen's "VERSION @ REVISION" shape with the revision naming
    /// this engine, and loadgen_engine says so outright; the git status is "NA" so no uncommitted-changes error is logged.
    /// </summary>
    private static void LogVersion(DetailLog detail)
    {
        const string file = "version.cs";
        // Not Assembly.Location, which a Native AOT build does not have: there the file is absent and nothing is hashed.
        var assembly = Path.Combine(AppContext.BaseDirectory, $"{typeof(NativeLoadGen).Assembly.GetName().Name}.dll");
        var built = File.Exists(assembly) ? File.GetLastWriteTimeUtc(assembly) : DateTime.UnixEpoch;
        detail.Log("loadgen_version", $"{LoadGenVersion} @ automation-{EngineLabel}", file);
        detail.Log("loadgen_engine", EngineLabel, file);
        detail.Log("loadgen_build_date_local", built.ToLocalTime().ToString("O", CultureInfo.InvariantCulture), file);
        detail.Log("loadgen_build_date_utc", built.ToString("O", CultureInfo.InvariantCulture), file);
        detail.Log("loadgen_git_commit_date", "NA", file);
        detail.Log("loadgen_git_log_message", "NA", file);
        detail.Log("loadgen_git_status_message", "NA", file);
        var hashes = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(assembly) && File.Exists(assembly))
        {
            hashes[Path.GetFileName(assembly)] = Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(assembly)));
        }
        detail.Log("loadgen_file_sha1", hashes, file);
    }
}
