using System.CommandLine;

namespace Automation.Cli.Commands;

/// <summary>Options several commands share; each command adds the ones it honours.</summary>
public sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("-j", "--json") { Description = "Print the result as JSON on stdout (logs go to stderr)" };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Do not stream script output" };
    public Option<string?> CacheDir { get; } = new("--cache-dir") { Description = "Cache root (default: CM_CACHE_DIR or <workspace>/cache)" };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Show stack traces on errors" };
}
