namespace Automation.Experiments.Backends.Slurm;

/// <summary>
/// Resources and behaviour of a Slurm submission (<c>--slurm.*</c> flags). Empty strings leave a directive out so the
/// cluster's defaults apply.
/// </summary>
public sealed record SlurmOptions
{
    public string Partition { get; init; } = "";
    /// <summary>Slurm time limit, e.g. 30 (minutes) or 02:00:00.</summary>
    public string Time { get; init; } = "";
    public string Cpus { get; init; } = "";
    public string Mem { get; init; } = "";
    public string Gpus { get; init; } = "";
    public string Account { get; init; } = "";
    public string JobName { get; init; } = "cm-experiment";
    /// <summary>Dependency type of the collect job on the array: afterok (only when every point succeeded) or afterany.</summary>
    public string CollectAfter { get; init; } = "afterok";
    /// <summary>Most array tasks running at once (<c>--array=...%N</c>); 0 = no limit.</summary>
    public int Parallel { get; init; }
    /// <summary>Wait for the jobs and write the table with the scheduler's states; false = submit and return.</summary>
    public bool Wait { get; init; } = true;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Give up waiting (the jobs keep running) after this long; null = wait as long as it takes.</summary>
    public TimeSpan? WaitTimeout { get; init; }
}
