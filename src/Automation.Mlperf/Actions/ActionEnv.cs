using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.LoadGen;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Progress;

namespace Automation.Mlperf.Actions;

/// <summary>Typed reads of a built-in action's env, with errors that name the script and the key to set.</summary>
public sealed class ActionEnv(ActionContext context)
{
    public string Script => context.Node.Script.Alias;

    public string? Get(string key) => context.Env.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    public string Get(string key, string fallback) => Get(key) ?? fallback;

    public string Require(string key, string fix) =>
        Get(key) ?? throw new AutomationException($"env key {key} is not set", context.Node.Script.MetaFile, Script, fix);

    public int Int(string key, int fallback)
    {
        var text = Get(key);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new AutomationException($"env key {key} must be a whole number, not '{text}'", context.Node.Script.MetaFile, Script, $"Pass a number, e.g. --env.{key}=8.");
    }

    public double Double(string key, double fallback)
    {
        var text = Get(key);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new AutomationException($"env key {key} must be a number, not '{text}'", context.Node.Script.MetaFile, Script, $"Pass a number, e.g. --env.{key}=1.5.");
    }

    /// <summary>The run's targets, range-checked as app-mlperf-inference checks them before its deps.</summary>
    public RunTargets Targets() => RunTargets.Read(context.Env, context.Node.Script.InputMapping, context.Node.Script.MetaFile, Script);

    /// <summary>A warning the user sees even with --quiet: the result is not what they asked for.</summary>
    public void Warn(string line)
    {
        context.Log.WriteLine("warning: " + line);
        Console.Error.WriteLine("warning: " + line);
    }

    /// <summary>
    /// Watches a LoadGen run for its progress line: on stderr unless --quiet (live on a terminal, else a line every
    /// 10 s; AUTOMATION_PROGRESS_EVERY_S changes that), and as events for cm serve when it follows the run.
    /// </summary>
    public LoadGenProgress WatchRun(ISystemUnderTest sut, TestSettings settings)
    {
        var every = double.TryParse(Environment.GetEnvironmentVariable(ProgressEveryVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(10);
        var sinks = new List<IProgressSink>();
        if (!context.Quiet) sinks.Add(new ConsoleProgressSink(Console.Error, !Console.IsErrorRedirected, every));
        if (JsonlStepEvents.FromEnvironment() is { } events) sinks.Add(new EventProgressSink(events, Script, every));
        return new LoadGenProgress(sut, settings, sinks, TimeSpan.FromSeconds(Math.Min(1, every.TotalSeconds)));
    }

    /// <summary>How often a redirected stderr and cm serve get a progress line, in seconds (not CM_*: not part of the plan).</summary>
    public const string ProgressEveryVariable = "AUTOMATION_PROGRESS_EVERY_S";

    public void Say(string line)
    {
        context.Log.WriteLine(line);
        if (!context.Quiet) Console.Error.WriteLine(line);
    }
}
