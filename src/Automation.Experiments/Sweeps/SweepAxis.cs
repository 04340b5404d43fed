namespace Automation.Experiments.Sweeps;

/// <summary>One swept parameter: the script input (or --env.KEY / --adr.NAME.FIELD flag) and its values in order.</summary>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values)
{
    /// <summary>The flag a point passes to `cm run script` for this axis.</summary>
    public string Flag(string value) => $"--{Name}={value}";
}
