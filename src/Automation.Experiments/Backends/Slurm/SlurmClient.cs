using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.World;
using Newtonsoft.Json;

namespace Automation.Experiments.Backends.Slurm;

/// <summary>
/// The Slurm commands we use, run as processes: sbatch --parsable, squeue --json (falling back to scontrol show job -o
/// on clusters whose squeue has no --json), scancel. SLURM_CONF and the user's Slurm environment are inherited.
/// </summary>
public sealed class SlurmClient(IProcessRunner processes)
{
    private bool squeueJson = true;

    public async Task<long> SubmitAsync(string script, IEnumerable<string> args, string workDir, CancellationToken cancellationToken)
    {
        var result = await Run("sbatch", ["--parsable", .. args, script], workDir, cancellationToken);
        if (result.ExitCode != 0)
            throw new AutomationException($"sbatch rejected {script} (exit {result.ExitCode}): {result.CombinedOutput.Trim()}", script,
                fix: "Check the --slurm.* flags (partition, account, time) against `sinfo`, and that slurmctld is reachable (`scontrol ping`).");
        // --parsable prints "jobid" or "jobid;cluster".
        var text = result.StandardOutput.Trim().Split('\n')[^1].Split(';')[0];
        return long.TryParse(text, CultureInfo.InvariantCulture, out var id) ? id
            : throw new AutomationException($"sbatch --parsable printed '{result.StandardOutput.Trim()}', not a job id", script, fix: "Run the sbatch command by hand to see what the cluster says.");
    }

    /// <summary>The scheduler's current view of <paramref name="jobIds"/> (array ids include their tasks).</summary>
    public async Task<SlurmSnapshot> QueryAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancellationToken)
    {
        if (squeueJson)
        {
            var json = await Run("squeue", ["--json"], null, cancellationToken);
            if (json.ExitCode == 0)
            {
                try
                {
                    var all = SlurmStateParser.ParseSqueueJson(json.StandardOutput);
                    var mine = all.Jobs.Where(j => jobIds.Contains(j.JobId) || (j.ArrayJobId is { } a && jobIds.Contains(a))).ToList();
                    // A job that aged out of squeue (MinJobAge) is looked up with scontrol below.
                    var missing = jobIds.Where(id => !mine.Any(j => j.JobId == id || j.ArrayJobId == id) && !all.PendingArrayTasks.ContainsKey(id)).ToList();
                    var rest = missing.Count == 0 ? new SlurmSnapshot([], new Dictionary<long, IReadOnlySet<int>>()) : await ScontrolAsync(missing, cancellationToken);
                    return new SlurmSnapshot([.. mine, .. rest.Jobs],
                        all.PendingArrayTasks.Where(kv => jobIds.Contains(kv.Key)).Concat(rest.PendingArrayTasks).ToDictionary(kv => kv.Key, kv => kv.Value));
                }
                catch (JsonException)
                {
                    squeueJson = false;
                }
            }
            else squeueJson = false; // Slurm < 21.08 has no --json: use scontrol from now on
        }
        return await ScontrolAsync(jobIds, cancellationToken);
    }

    public async Task<SlurmSnapshot> ScontrolAsync(IEnumerable<long> jobIds, CancellationToken cancellationToken)
    {
        var jobs = new List<SlurmJobState>();
        var pending = new Dictionary<long, IReadOnlySet<int>>();
        foreach (var id in jobIds)
        {
            var result = await Run("scontrol", ["show", "job", "-o", id.ToString(CultureInfo.InvariantCulture)], null, cancellationToken);
            if (result.ExitCode != 0) continue; // purged from slurmctld's memory: unknown, not failed
            var snapshot = SlurmStateParser.ParseScontrol(result.StandardOutput);
            jobs.AddRange(snapshot.Jobs);
            foreach (var (k, v) in snapshot.PendingArrayTasks) pending[k] = v;
        }
        return new SlurmSnapshot(jobs, pending);
    }

    public async Task CancelAsync(IEnumerable<long> jobIds, CancellationToken cancellationToken = default)
    {
        var ids = jobIds.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (ids.Count > 0) await Run("scancel", ids, null, cancellationToken);
    }

    private async Task<ProcessResult> Run(string tool, IReadOnlyList<string> args, string? workDir, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(new ProcessRequest(tool, args, workDir, Timeout: TimeSpan.FromSeconds(60)), cancellationToken);
        if (result.ExitCode == 127 && result.StandardError.Contains("cannot start", StringComparison.Ordinal))
            throw new AutomationException($"'{tool}' is not installed or not on PATH", fix: "Run on a Slurm login node, or install the Slurm client tools (Debian: apt-get install slurm-client).");
        return result;
    }
}
