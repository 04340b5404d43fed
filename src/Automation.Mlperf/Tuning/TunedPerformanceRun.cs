using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.Mlperf.Tuning;

/// <summary>The seams of a tuned performance run: how a target becomes settings (the user.conf LoadGen reads), how a run happens, where the user is told.</summary>
public sealed record TuningSeams(
    Func<StoredTarget?, TestSettings> SettingsFor,
    Func<TestSettings, string, LoadGenResult> Run,
    Action<string> Say,
    Func<DateTimeOffset> Now);

/// <summary>What the tuned run ended with.</summary>
public sealed record TunedResult(LoadGenResult? Final, StoredTarget? Target, int Reruns, FoundTarget? Found, string? Failure);

/// <summary>
/// The performance half of `_submission`/`_performance-only`/`_find-performance` (docs/submission.md): the user's
/// target, else the stored one, else find-performance's (stored for the next run); then the full run, re-run with an
/// adjusted target while INVALID, at most <c>maxReruns</c> times, saying why each time; a target that gave a VALID
/// run is stored again.
/// </summary>
public sealed class TunedPerformanceRun(TuningSeams seams, TargetStore store, TargetKey key, ulong shortDurationMs)
{
    public TunedResult Run(StoredTarget? userTarget, bool findOnly, int maxReruns, string runDir, string findDir)
    {
        FoundTarget? found = null;
        var target = userTarget;
        if (findOnly || target is null)
        {
            target = findOnly ? null : store.Find(key);
            if (target is not null) seams.Say($"Using the stored {target.Describe()} for {key.Text} (from {target.Source}, {target.At:yyyy-MM-dd HH:mm}; {store.Path}).");
        }
        if (target is null)
        {
            found = Find(findDir);
            target = new StoredTarget(found.TargetQps, found.TargetLatencyMs, "find-performance", seams.Now());
            store.Save(key, target);
            seams.Say($"find-performance: {target.Describe()} ({found.How}; {found.Runs} short runs, {found.Seconds:0.#} s), stored for {key.Text} in {store.Path}.");
            if (findOnly) return new TunedResult(null, target, 0, found, null);
        }

        var settings = seams.SettingsFor(target);
        var result = seams.Run(settings, runDir);
        var reruns = 0;
        while (!result.IsValid && reruns < maxReruns)
        {
            var advice = RerunAdvisor.Advise(settings, result);
            if (advice.Next is null) return new TunedResult(result, target, reruns, found, Failure(result, advice.Why, reruns));
            reruns++;
            seams.Say($"INVALID: {advice.Why}; re-run {reruns} of {maxReruns}.");
            target = RerunAdvisor.Target(advice.Next, "re-run", seams.Now());
            settings = seams.SettingsFor(target);
            result = seams.Run(settings, runDir);
        }
        if (result.IsValid)
        {
            // A corrected target is what the next run of this configuration should start from.
            if (reruns > 0) store.Save(key, target);
            return new TunedResult(result, target, reruns, found, null);
        }
        var last = RerunAdvisor.Advise(settings, result);
        return new TunedResult(result, target, reruns, found, Failure(result, last.Why, reruns));
    }

    private FoundTarget Find(string findDir)
    {
        var n = 0;
        var finder = new TargetFinder((s, label) => seams.Run(s, Path.Combine(findDir, $"{++n:00}_{label}")), shortDurationMs);
        return finder.Find(seams.SettingsFor(null));
    }

    private static string Failure(LoadGenResult result, string why, int reruns) =>
        $"the performance run is INVALID after {reruns} re-run(s): {string.Join(" ", result.InvalidReasons).Trim()} Last advice: {why}. " +
        "Try --max_reruns=N for more tries, a target of your own (--target_qps/--target_latency), or delete the stored target to find it again.";
}
