using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Automation.Dashboard.Runs;

/// <summary>The dashboard's runs: those in the runs folder from earlier sessions and those started now.</summary>
public sealed partial class RunManager
{
    private readonly DashboardOptions options;
    private readonly Dictionary<string, DashboardRun> runs = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public RunManager(DashboardOptions options)
    {
        this.options = options;
        Directory.CreateDirectory(options.RunsDir);
        foreach (var dir in Directory.EnumerateDirectories(options.RunsDir))
            if (IdPattern().IsMatch(Path.GetFileName(dir)) && DashboardRun.Load(dir) is { } run) runs[run.Id] = run;
    }

    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")]
    private static partial Regex IdPattern();

    public IReadOnlyList<DashboardRun> All
    {
        get { lock (gate) return runs.Values.OrderByDescending(r => r.Id, StringComparer.Ordinal).ToList(); }
    }

    public DashboardRun? Get(string? id)
    {
        if (id is null || !IdPattern().IsMatch(id)) return null;
        lock (gate) return runs.GetValueOrDefault(id);
    }

    public DashboardRun Start(ValidatedRun spec) => Start(RunPlan.Script(spec));

    public DashboardRun Start(RunPlan plan)
    {
        lock (gate)
        {
            if (runs.Values.Count(r => r.IsActive) >= options.MaxConcurrentRuns)
                throw new DashboardRequestException($"{options.MaxConcurrentRuns} runs are already running", "Wait for one to finish or cancel it.");
            var id = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
            var run = DashboardRun.Start(id, options.RunsDir, plan, options);
            runs[id] = run;
            return run;
        }
    }

    /// <summary>Forgets a finished run and removes its folder; a running run must be cancelled first.</summary>
    public void Delete(DashboardRun run)
    {
        lock (gate)
        {
            if (run.IsActive) throw new DashboardRequestException($"run {run.Id} is still {run.Status}", "Cancel it first, then delete it.");
            runs.Remove(run.Id);
        }
        Directory.Delete(run.Dir, recursive: true);
    }

    /// <summary>Cancels what is still running (the server is stopping) and waits for the children to go.</summary>
    public async Task StopAllAsync()
    {
        var active = All.Where(r => r.IsActive).ToList();
        foreach (var r in active) r.Cancel();
        await Task.WhenAll(active.Select(r => r.Completion));
    }
}
