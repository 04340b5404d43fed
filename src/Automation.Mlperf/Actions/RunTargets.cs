using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.Resolution;

namespace Automation.Mlperf.Actions;

/// <summary>
/// The numeric inputs that size a LoadGen run (targets, query count, duration, re-runs), read and range-checked in
/// one place: app-mlperf-inference refuses a bad one before its deps run (<see cref="Core.Execution.IChecksInputs"/>),
/// and the run reads the same values. A target of 0, -5 or NaN would otherwise reach LoadGen, which sizes an
/// endless or empty run from it.
/// </summary>
public sealed record RunTargets(double? TargetQps, double? TargetLatencyMs, int? TestQueryCount, int? MinDurationMs, int MaxReruns)
{
    public const string TargetQpsKey = "CM_MLPERF_LOADGEN_TARGET_QPS";
    public const string TargetLatencyKey = "CM_MLPERF_LOADGEN_TARGET_LATENCY";

    /// <summary>The target a run used (given, stored or found), as it exports it: never read back as an input.</summary>
    public const string UsedTargetQpsKey = "CM_MLPERF_USED_TARGET_QPS";
    public const string UsedTargetLatencyKey = "CM_MLPERF_USED_TARGET_LATENCY";
    public const string TestQueryCountKey = "CM_TEST_QUERY_COUNT";
    public const string MinDurationKey = "CM_MLPERF_LOADGEN_MIN_DURATION_MS";
    public const string MaxRerunsKey = "CM_MLPERF_MAX_RERUNS";
    public const int DefaultMaxReruns = 2;

    public static RunTargets Read(PlanNode node) => Read(node.Env, node.Script.InputMapping, node.Script.MetaFile, node.Script.Alias);

    public static RunTargets Read(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> inputMapping, string metaFile, string script)
    {
        var reader = new Reader(env, inputMapping, metaFile, script);
        return new RunTargets(
            reader.Positive(TargetQpsKey, "a number of queries per second greater than 0", "500"),
            reader.Positive(TargetLatencyKey, "a latency in milliseconds greater than 0", "10"),
            reader.Whole(TestQueryCountKey, 1, "a whole number of queries, 1 or more", "100"),
            reader.Whole(MinDurationKey, 1, "a whole number of milliseconds, 1 or more", "600000"),
            reader.Whole(MaxRerunsKey, 0, "a whole number of re-runs, 0 or more", "2") ?? DefaultMaxReruns);
    }

    private sealed class Reader(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> inputMapping, string metaFile, string script)
    {
        public double? Positive(string key, string range, string example)
        {
            if (Text(key) is not { } text) return null;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0
                ? v
                : throw Refused(key, text, range, example);
        }

        public int? Whole(string key, int min, string range, string example)
        {
            if (Text(key) is not { } text) return null;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : throw Refused(key, text, range, example);
        }

        private string? Text(string key) => env.TryGetValue(key, out var v) && v.Trim().Length > 0 ? v.Trim() : null;

        private AutomationException Refused(string key, string text, string range, string example)
        {
            var flag = Flag(key);
            return new AutomationException($"{flag}={text} is not valid: it must be {range}", metaFile, script,
                $"Pass e.g. {flag}={example}, or leave it out (a run without a target finds one with _find-performance first).");
        }

        /// <summary>The flag the user typed: the input_mapping name when there is one, else the env key.</summary>
        private string Flag(string key) =>
            inputMapping.FirstOrDefault(kv => kv.Value == key).Key is { } input ? "--" + input : "--env." + key;
    }
}
