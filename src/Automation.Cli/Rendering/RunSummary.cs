using Automation.Core.Execution;

namespace Automation.Cli.Rendering;

/// <summary>The human-readable end of a run: which steps ran or came from the cache, and what the script exported.</summary>
public static class RunSummary
{
    public static void Write(RunResult result, TextWriter output)
    {
        foreach (var step in result.Steps)
        {
            var how = step.FromCache ? "cached" : step.Cached ? "ran, cached" : "ran";
            var variations = string.Concat(step.Variations.Select(v => ",_" + v));
            output.WriteLine($"  {step.Script}{variations}{(step.Outcome.Version is { } v ? " " + v : "")} ({how}, {(step.Finished - step.Started).TotalSeconds:0.00} s)");
        }
        if (result.Root.Outcome.NewEnv.Count > 0)
        {
            output.WriteLine();
            foreach (var (k, v) in result.Root.Outcome.NewEnv.OrderBy(kv => kv.Key, StringComparer.Ordinal)) output.WriteLine($"{k}={v}");
        }
    }
}
